import type pg from 'pg';

/** The history column naming a key change's statement; captures installed or migrated before it was added lack it. */
export const KEY_CHANGE_STATEMENT_COLUMN = 'rowtrail_key_change_statement';

/**
 * SQL condition: key changes "a" and "d" (history rows) were recorded by the same statement, so a row that left a key
 * in it did not end the record another row brought there (rows swapping keys). Events written before history tables
 * had the statement column (`hasColumn` false, or both values null) fall back to the same transaction and statement
 * time: right for swaps, but it also joins statements sent in one simple-query message, a BEGIN…COMMIT string or a
 * function, which share both.
 */
export function sameKeyChangeStatement(a: string, d: string, hasColumn: boolean): string {
  const sharedTime = `${a}.rowtrail_txid = ${d}.rowtrail_txid AND ${a}.rowtrail_created_at = ${d}.rowtrail_created_at`;
  if (!hasColumn) return `(${sharedTime})`;
  const statement = (alias: string) => `${alias}.${KEY_CHANGE_STATEMENT_COLUMN}`;
  return `(${statement(a)} = ${statement(d)} OR (${statement(a)} IS NULL AND ${statement(d)} IS NULL AND ${sharedTime}))`;
}

/** Whether a history table (qualified, quoted) has the key-change statement column: captures installed before it lack it. */
export async function hasKeyChangeStatement(client: pg.ClientBase | pg.Pool, history: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped`, [history, KEY_CHANGE_STATEMENT_COLUMN],
  );
  return rows.length > 0;
}
