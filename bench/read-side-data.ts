import type { TrackedTableSpec } from '../packages/server/src/ddl/tracked-table-spec.js';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { install } from '../packages/server/src/install/installer.js';
import { loadSqlMigrations } from '../packages/server/src/install/sql-files.js';
import { BENCH_COLUMN_LIST, benchRowsSelect, benchTableSpec, createBenchTableSql } from './bench-table.js';
import { nowMs } from './stats.js';

export const READ_TABLE = 'read_item';
/** First event time; event g happens at READ_BASE_TIME + g × 10 ms. */
export const READ_BASE_TIME = '2026-01-01T00:00:00Z';
export const eventTime = (g: number): string => new Date(Date.parse(READ_BASE_TIME) + g * 10).toISOString();

export interface ReadSideShape {
  events: number;
  /** Ordinary records (about 10 versions each), ids 1..records. */
  records: number;
  /** Id of the record with `longVersions` versions. */
  longRecordId: number;
  longVersions: number;
  /** Events per request context. */
  eventsPerContext: number;
}

export function readSideShape(events: number, longVersions: number): ReadSideShape {
  const records = Math.max(1, Math.floor((events - longVersions) / 10));
  return { events, records, longRecordId: records + 1, longVersions, eventsPerContext: 100 };
}

/**
 * Fills a database with `events` history events (one history row each, with its
 * diff) and their contexts, generated in SQL, unless it already holds exactly this data set for the
 * current schema (generation takes minutes at 10M). Secondary indexes are
 * dropped during the load and rebuilt after it.
 */
export async function ensureReadSideData(url: string, shape: ReadSideShape, log: (m: string) => void): Promise<{ generated: boolean; seconds: number; generatedAt: Date }> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const started = nowMs();
  try {
    const fingerprint = readDataFingerprint(shape);
    await pool.query(`CREATE TABLE IF NOT EXISTS bench_read_marker (fingerprint text NOT NULL, generated_at timestamptz NOT NULL DEFAULT now())`);
    const marker = await pool.query<{ fingerprint: string; generated_at: Date }>(`SELECT fingerprint, generated_at FROM bench_read_marker`);
    if (marker.rows[0]?.fingerprint === fingerprint) return { generated: false, seconds: 0, generatedAt: marker.rows[0].generated_at };

    await pool.query(`DROP SCHEMA IF EXISTS rowtrail CASCADE`);
    await pool.query(`DROP TABLE IF EXISTS ${READ_TABLE}, ${OTHER_TABLES.join(', ')}`);
    await pool.query(`TRUNCATE bench_read_marker`);
    await pool.query(createBenchTableSql(READ_TABLE));
    await pool.query(`INSERT INTO ${READ_TABLE} (${BENCH_COLUMN_LIST}) ${benchRowsSelect('1', String(shape.longRecordId))}`);
    for (const table of OTHER_TABLES) await pool.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, note text)`);
    // an application tracks several tables: rowtrail.event is then a union of their history tables, which the feed
    // must read in event order (a single tracked table made the view that table's history alone)
    await install(pool, [benchTableSpec(READ_TABLE), ...OTHER_TABLES.map(otherTableSpec)]);

    const { rows: indexes } = await pool.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = 'rowtrail' AND tablename IN ('context', '${READ_TABLE}_history') AND indexname NOT LIKE '%pkey'`);
    for (const index of indexes) await pool.query(`DROP INDEX rowtrail.${index.name}`);

    await pool.query(`INSERT INTO rowtrail.context (id, metadata, db_user, application_name, created_at)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid,
        jsonb_build_object('user', 'user-' || (k % 500), 'requestId', 'req-' || k, 'method', 'PUT', 'url', '/items/' || k),
        'app', 'bench', timestamptz '${READ_BASE_TIME}' + k * ${shape.eventsPerContext} * interval '10 ms'
      FROM generate_series(0, ${Math.floor(shape.events / shape.eventsPerContext)}) k`);

    const chunk = 1_000_000;
    for (let first = 1; first <= shape.events; first += chunk) {
      const last = Math.min(shape.events, first + chunk - 1);
      await pool.query(generateEventsSql(shape, first, last));
      log(`read side: generated events ${last.toLocaleString('en-US')} / ${shape.events.toLocaleString('en-US')} (${Math.round((nowMs() - started) / 1000)} s)`);
    }
    for (const index of indexes) await pool.query(index.def);
    await pool.query(`SELECT setval('rowtrail.event_id_seq', ${shape.events})`);
    // a few later events in the other tables, written by their capture
    for (const table of OTHER_TABLES) await pool.query(`INSERT INTO ${table} SELECT g, 'note ' || g FROM generate_series(1, 100) g`);
    await pool.query(`VACUUM ANALYZE`);
    await pool.query(`INSERT INTO bench_read_marker (fingerprint) VALUES ($1)`, [fingerprint]);
    return { generated: true, seconds: (nowMs() - started) / 1000, generatedAt: new Date() };
  } finally {
    await pool.end();
  }
}

/**
 * Identifies a data set: its shape plus the core schema's SQL files, whole (rowtrail.event is built by
 * a function of them, so a function's body can change what the reads see; regenerating takes a couple
 * of minutes at 10M events).
 */
function readDataFingerprint(shape: ReadSideShape): string {
  const sources = loadSqlMigrations().map((m) => m.source);
  return createHash('sha256').update(JSON.stringify({ shape, sources, generator: GENERATOR_VERSION })).digest('hex');
}

/** Bump when generateEventsSql changes what it writes. */
const GENERATOR_VERSION = 3;

/** Small tracked tables beside the read table, as an application has: the feed reads rowtrail.event over all of them. */
const OTHER_TABLES = ['bench_read_note', 'bench_read_tag'];
const otherTableSpec = (table: string): TrackedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], label: table, exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'note', type: 'text' }],
});

/** Events first..last: ordinary records round-robin (so a record's versions are spread over time), then the long record. */
function generateEventsSql(shape: ReadSideShape, first: number, last: number): string {
  const ordinary = shape.events - shape.longVersions;
  const values = `((ARRAY['new', 'active', 'suspended', 'closed'])[1 + (x.rec + x.v) % 4]) AS status, (((x.rec + x.v) % 100000) / 100.0)::numeric(12,2) AS amount`;
  return `WITH x AS MATERIALIZED (
  SELECT g, CASE WHEN g > ${ordinary} THEN ${shape.longRecordId} ELSE (g - 1) % ${shape.records} + 1 END AS rec,
    CASE WHEN g > ${ordinary} THEN g - ${ordinary} - 1 ELSE (g - 1) / ${shape.records} END AS v,
    ('00000000-0000-4000-8000-' || lpad(to_hex((g - 1) / ${shape.eventsPerContext}), 12, '0'))::uuid AS ctx,
    timestamptz '${READ_BASE_TIME}' + g * interval '10 ms' AS ts
  FROM generate_series(${first}, ${last}) g
), r AS MATERIALIZED (
  SELECT x.*, (x.rec % 1000)::int AS account_id, 'customer ' || x.rec AS name, 'user' || x.rec || '@example.com' AS email, ${values},
    x.v::int AS quantity, x.ts AS updated_at,
    CASE WHEN x.v = 0 THEN 'INSERT' ELSE 'UPDATE' END AS op
  FROM x
)
INSERT INTO rowtrail.${READ_TABLE}_history (rowtrail_event_id, rowtrail_created_at, rowtrail_label, rowtrail_operation, rowtrail_record_key,
  rowtrail_old_record_key, rowtrail_context_id, rowtrail_txid, rowtrail_changes, ${BENCH_COLUMN_LIST})
SELECT g, ts, 'snapshot', op, jsonb_build_object('id', rec), NULL, ctx, 1000 + (g - 1) / ${shape.eventsPerContext},
  CASE WHEN op = 'INSERT'
    THEN jsonb_build_object('id', rec, 'account_id', account_id, 'name', name, 'email', email, 'status', status, 'amount', amount, 'quantity', quantity, 'updated_at', updated_at)
    ELSE jsonb_build_object('amount', jsonb_build_array((((rec + v - 1) % 100000) / 100.0)::numeric(12,2), amount), 'quantity', jsonb_build_array(quantity - 1, quantity),
      'status', jsonb_build_array((ARRAY['new', 'active', 'suspended', 'closed'])[1 + (rec + v - 1) % 4], status))
  END,
  rec, account_id, name, email, status, amount, quantity, updated_at
FROM r`;
}
