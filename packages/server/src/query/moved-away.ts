import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import { SqlParams } from './event-sql.js';
import { KEY_CHANGE_STATEMENT_COLUMN, sameKeyChangeStatement } from './key-change-statement.js';
import { oldKeyIsCondition, snapshotKeyCondition } from './record-match.js';
import type { RegisteredTable } from './tracked-table-registry.js';

/**
 * Key changes away from a key K: updates whose old key is K and whose new key is not (compared by type, as a record's
 * history compares its key). A key change is filed under the new key, so K's history needs them to show where the
 * record that had K left it: the versions under K on the two sides of one are of two records (or of one that came back).
 *
 * Each has a `position` in K's timeline: a version's position is 2 × its event id; a key change away sits just below
 * its own event (2 × id − 1), or below the key changes of the same statement that brought another row to K (two rows
 * swapping keys, in either order: the row arriving is the record K holds after that statement, the one leaving the
 * record it held before).
 */

/**
 * SELECT event_id, record_key (the new key, jsonb text), position of the key changes away from `key` (history rows of
 * `table`), for a WITH clause.
 */
export function movedAwaySelect(schema: string, table: RegisteredTable, key: unknown, params: SqlParams): string {
  const history = qualified(schema, table.snapshotTable);
  const arrivals = (bound: string) => `SELECT min(a.rowtrail_event_id) FROM ${history} a WHERE ${snapshotKeyCondition('a', table, key, params)}${bound}
       AND a.rowtrail_old_record_key IS NOT NULL AND ${sameKeyChangeStatement('a', 'm', table.keyChangeStatements)}`;
  // Only an arrival recorded before the key change away moves it (a later one is above it anyway), and every key change
  // of a statement has an event id from the statement's first on (its key-change statement column): a range of the key
  // index, not every version under the key for each key change away. Rows recorded before that column search them all.
  const statement = `m.${KEY_CHANGE_STATEMENT_COLUMN}`;
  const arrival = table.keyChangeStatements
    ? `CASE WHEN ${statement} IS NOT NULL
         THEN (${arrivals(` AND a.rowtrail_event_id >= ${statement} AND a.rowtrail_event_id < m.rowtrail_event_id`)})
         ELSE (${arrivals('')}) END`
    : `(${arrivals('')})`;
  return `SELECT m.rowtrail_event_id AS event_id, m.rowtrail_record_key::text AS record_key,
       2 * least(m.rowtrail_event_id, coalesce(${arrival}, m.rowtrail_event_id))::numeric - 1 AS position
     FROM ${history} m
     WHERE ${movedAwayCondition(table, key, params)}`;
}

/**
 * History rows "m" that moved a record's key away from `key`. The record key comparison is negated with IS NOT TRUE: a
 * key change to a key equal to K by type (5 → 5.0 is no change of record) is no move away.
 */
function movedAwayCondition(table: RegisteredTable, key: unknown, params: SqlParams): string {
  return `${oldKeyIsCondition('m', table, key, params)} AND (${snapshotKeyCondition('m', table, key, params)}) IS NOT TRUE`;
}

/**
 * Whether any update moved a record's key away from `key`: one probe of the old-key index. Most keys have none, and
 * their history is then read by the plain query, without planning the one that places key changes away.
 */
export async function hasKeyChangesAway(pool: pg.Pool, schema: string, table: RegisteredTable, key: unknown): Promise<boolean> {
  const params = new SqlParams();
  const { rows: [{ found }] } = await pool.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT FROM ${qualified(schema, table.snapshotTable)} m WHERE ${movedAwayCondition(table, key, params)}) AS found`,
    params.values,
  );
  return found;
}
