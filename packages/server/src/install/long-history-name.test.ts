// History tables whose name PostgreSQL used to cut at 63 bytes are adopted under today's fitted name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_FUNCTION_SUFFIXES } from '../ddl/capture-ddl.js';
import { identifierName, shortHash } from '../ddl/identifier-name.js';
import { legacySnapshotTableName, resolveSchemaOptions } from '../ddl/tracked-table-spec.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
const table = 'stock_adjustment_requests_awaiting_regional_approval_of_2024';
const spec = idValueSpec(table);
const options = resolveSchemaOptions();
const fitted = options.snapshotTableName(spec);
const uncut = `${table}_history`;
const legacy = legacySnapshotTableName(options, spec)!.cut;

beforeAll(async () => {
  db = await createTestDatabase('long_history_name');
  await db.pool.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, v text)`);
});
afterAll(() => db.drop());

/** Puts the database in the state an install before fitted names left: table, indexes and functions under the old names. */
async function makeLegacyInstall(): Promise<void> {
  await install(db.pool, [spec]);
  const rename = (kind: string, from: string, to: string) => db.pool.query(`ALTER ${kind} rowtrail."${from}" RENAME TO "${to}"`);
  await rename('TABLE', fitted, legacy);
  for (const suffix of ['event_idx', `key_${shortHash('id')}`, 'context_idx', 'created_at_txid_idx']) await rename('INDEX', identifierName(fitted, suffix), identifierName(uncut, suffix));
  for (const suffix of CAPTURE_FUNCTION_SUFFIXES) {
    // the old functions wrote to the uncut name, which PostgreSQL read as the cut one
    const name = `rowtrail."${identifierName(fitted, suffix)}"()`;
    const { rows: [{ def }] } = await db.pool.query(`SELECT pg_get_functiondef($1::regprocedure) AS def`, [name]);
    await db.pool.query((def as string).replaceAll(`"${fitted}"`, `"${legacy}"`).replaceAll(`rowtrail.${fitted} `, `rowtrail."${legacy}" `));
    await db.pool.query(`ALTER FUNCTION ${name} RENAME TO "${identifierName(uncut, suffix)}"`);
  }
  await db.pool.query(`UPDATE rowtrail.tracked_table SET snapshot_table = $1, ddl_hash = 'old' WHERE table_name = $2`, [uncut, `public.${table}`]);
}

describe('a history table named before names were fitted to 63 bytes', () => {
  it('is adopted by the next install: its history stays readable, with one set of indexes and functions', async () => {
    expect(legacy).toBe(uncut.slice(0, 63));
    expect(fitted).not.toBe(legacy);
    await makeLegacyInstall();
    await db.pool.query(`INSERT INTO ${table} VALUES (1, 'a')`);
    await db.pool.query(`UPDATE ${table} SET v = 'b'`);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail."${legacy}"`)).rows[0].n).toBe(2);

    await install(db.pool, [spec]);
    await db.pool.query(`UPDATE ${table} SET v = 'c'`);
    const events = (await recordHistory(db.pool, table, { id: 1 }, { order: 'asc' })).events.map((e) => [e.operation, e.changes]);
    expect(events).toEqual([['INSERT', { id: 1, v: 'a' }], ['UPDATE', { v: ['a', 'b'] }], ['UPDATE', { v: ['b', 'c'] }]]);
    const { rows: [state] } = await db.pool.query(`SELECT
        to_regclass($1) IS NULL AS legacy_gone,
        (SELECT count(*)::int FROM pg_index WHERE indrelid = to_regclass($2)) AS indexes,
        (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'rowtrail' AND p.proname LIKE 'stock\\_adjustment%') AS functions,
        (SELECT snapshot_table FROM rowtrail.tracked_table WHERE table_name = $3) AS registered`,
      [`rowtrail."${legacy}"`, `rowtrail."${fitted}"`, `public.${table}`]);
    expect(state).toEqual({ legacy_gone: true, indexes: 5, functions: CAPTURE_FUNCTION_SUFFIXES.length, registered: fitted });
  });
});
