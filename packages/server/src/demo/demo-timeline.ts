import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import { inTransaction } from '../install/database-client.js';

interface Span { after: string; upTo: string; at: Date; spacingMs: number }

/**
 * History is written in a few seconds, but a demo should look like a week of
 * shop life. The timeline remembers which events each simulated moment wrote
 * and, at the end, moves their timestamps (history rows, contexts) to that
 * moment. Only the demo does this; Rowtrail itself never rewrites history.
 */
export class DemoTimeline {
  private readonly spans: Span[] = [];

  constructor(private readonly pool: pg.Pool, private readonly schema = 'rowtrail') {}

  private async lastEventId(): Promise<string> {
    const { rows } = await this.pool.query(`SELECT coalesce(max(event_id), 0)::text AS id FROM ${quoteIdent(this.schema)}.event`);
    return rows[0].id as string;
  }

  /** Runs fn and dates the events it writes at `at`, the n-th one `n * spacingMs` later. */
  async at<T>(at: Date, fn: () => Promise<T>, spacingMs = 40): Promise<T> {
    const after = await this.lastEventId();
    const result = await fn();
    const upTo = await this.lastEventId();
    if (upTo !== after) this.spans.push({ after, upTo, at, spacingMs });
    return result;
  }

  /** Moves every recorded event to its simulated time. */
  async apply(): Promise<void> {
    if (this.spans.length === 0) return;
    const s = quoteIdent(this.schema);
    const values = this.spans.map((_, i) => `($${i * 4 + 1}::bigint, $${i * 4 + 2}::bigint, $${i * 4 + 3}::timestamptz, $${i * 4 + 4}::float8)`).join(', ');
    const params = this.spans.flatMap((span) => [span.after, span.upTo, span.at.toISOString(), span.spacingMs]);
    const when = (idColumn: string) =>
      `FROM (VALUES ${values}) AS v(after_id, up_to, at, spacing_ms) WHERE ${idColumn} > v.after_id AND ${idColumn} <= v.up_to`;
    const timeOf = (idColumn: string) => `v.at + (${idColumn} - v.after_id - 1) * v.spacing_ms * interval '1 millisecond'`;
    await inTransaction(this.pool, async (client) => {
      // History is append-only; the demo opens an audited maintenance window to re-date its own story.
      const { rows: [maintenance] } = await client.query(`SELECT to_regprocedure($1) IS NOT NULL AS available`, [`${s}.begin_maintenance(text)`]);
      if (maintenance.available) await client.query(`SELECT ${s}.begin_maintenance($1)`, ['demo: spread the demo story over two weeks']);
      const { rows } = await client.query(`SELECT snapshot_table FROM ${s}.tracked_table`);
      for (const { snapshot_table: table } of rows as { snapshot_table: string }[]) {
        await client.query(`UPDATE ${s}.${quoteIdent(table)} h SET rowtrail_created_at = ${timeOf('h.rowtrail_event_id')} ${when('h.rowtrail_event_id')}`, params);
      }
      await client.query(`UPDATE ${s}.context c SET created_at = m.at FROM (SELECT context_id, min(created_at) AS at FROM ${s}.event GROUP BY context_id) m WHERE c.id = m.context_id`);
    });
  }
}
