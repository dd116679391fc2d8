import type pg from 'pg';
import { trackedTableLock } from '../ddl/tracked-elsewhere-guard.js';

/** Serialises concurrent installs of one Rowtrail schema (released at commit or rollback). */
export async function lockInstall(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('rowtrail.install:' || $1::text))`, [schema]);
}

/**
 * Serialises installs that track the same tables, whatever their Rowtrail schema (released at commit or
 * rollback): a table's capture triggers have fixed names, so the second install must see the first one's
 * triggers to refuse the table rather than take its capture over. Advisory, so writes to the tables go on;
 * taken in one order, so two installs of overlapping table lists cannot deadlock.
 */
export async function lockTrackedTables(client: pg.ClientBase, tables: ReadonlyArray<{ schema: string; table: string }>): Promise<void> {
  const byKey = new Map(tables.map((t) => [JSON.stringify([t.schema, t.table]), t]));
  for (const key of [...byKey.keys()].sort()) await client.query(trackedTableLock(byKey.get(key)!));
}
