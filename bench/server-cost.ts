import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createContext } from '../packages/server/src/context/request-context.js';
import { median } from './stats.js';

export interface ServerCost {
  samples: number;
  /** Median server execution time (EXPLAIN ANALYZE "Execution Time", triggers included), ms. */
  untrackedUpdate: number;
  /** Tracked, each transaction in a new request context (time-ordered UUIDv7 id, as createContext() makes). */
  trackedUpdate: number;
  /** The same with random (v4) context ids. */
  trackedUpdateRandomId: number;
  /** Tracked, in a context this session already stored (a request's later transactions): the capture without the context row. */
  trackedUpdateKnownContext: number;
  /** The classic audit trigger of section 1, for reference. */
  classicUpdate: number;
  /**
   * The context row alone in a new transaction, as a capture trigger makes it for a new request
   * context: statement_context_id() reads the id from the comment, save_context() parses the
   * metadata and inserts the rowtrail.context row.
   */
  contextRow: number;
}

/**
 * Server-side cost of one single-row UPDATE in its own transaction, untracked,
 * tracked and with the classic trigger, without client or network time: what
 * the capture adds per statement, and how much of it the context row is.
 */
export async function measureServerCost(url: string, tables: { untracked: string; tracked: string; classic: string }, rows: number, samples: number): Promise<ServerCost> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const execution = async (sql: string) => {
    await client.query('BEGIN');
    const { rows: plan } = await client.query(sql);
    await client.query('COMMIT');
    const line = plan.map((r) => r['QUERY PLAN'] as string).find((l) => l.startsWith('Execution Time'));
    return Number(/([\d.]+) ms/.exec(line ?? '')?.[1] ?? NaN);
  };
  const metadata = () => ({ user: 'bench-user', requestId: randomUUID(), method: 'PUT', url: '/items' });
  const known = createContext(metadata()).comment;
  const explain = 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF)';
  const update = (table: string, id: number) => `${explain} UPDATE ${table} SET quantity = quantity + 1, updated_at = now() WHERE id = ${id}`;
  const kinds = {
    untrackedUpdate: (id: number) => update(tables.untracked, id),
    trackedUpdate: (id: number) => `${createContext(metadata()).comment}${update(tables.tracked, id)}`,
    trackedUpdateRandomId: (id: number) => `${createContext(metadata(), randomUUID()).comment}${update(tables.tracked, id)}`,
    trackedUpdateKnownContext: (id: number) => `${known}${update(tables.tracked, id)}`,
    classicUpdate: (id: number) => update(tables.classic, id),
    contextRow: () => `${createContext(metadata()).comment}${explain} SELECT rowtrail.save_context(current_query(), rowtrail.statement_context_id(current_query()))`,
  };
  try {
    const times = Object.fromEntries(Object.keys(kinds).map((k) => [k, [] as number[]])) as Record<keyof typeof kinds, number[]>;
    for (let i = 0; i < samples + 10; i++) {
      const id = 1 + ((i * 7919) % rows);
      for (const [kind, sql] of Object.entries(kinds) as Array<[keyof typeof kinds, (id: number) => string]>) {
        const ms = await execution(sql(id));
        if (i >= 10) times[kind].push(ms); // warm-up: plans cached in this session
      }
    }
    return { samples, ...(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<keyof typeof kinds, number>) };
  } finally {
    await client.end();
  }
}
