import type pg from 'pg';

/** Serialises concurrent installs of one Rowtrail schema (released at commit or rollback). */
export async function lockInstall(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('rowtrail.install:' || $1::text))`, [schema]);
}
