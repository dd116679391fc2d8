import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { E2E_DATABASE } from './e2e-settings.js';

/** The run's database on the server the demo uses: $DATABASE_URL, or the embedded one it runs (its owner file names the port). */
export function e2eDatabaseUrl(): string {
  const server = new URL(process.env.DATABASE_URL
    ?? `postgres://postgres:postgres@127.0.0.1:${(JSON.parse(readFileSync('.rowtrail/demo.owner.json', 'utf8')) as { port: number }).port}/postgres`);
  server.pathname = `/${encodeURIComponent(E2E_DATABASE)}`;
  return server.toString();
}

/** Runs the repository's `rowtrail` command on the run's database; returns its output. */
export function rowtrailCli(...args: string[]): string {
  return execFileSync(process.execPath, ['packages/server/bin/rowtrail.js', '--database-url', e2eDatabaseUrl(), ...args], { encoding: 'utf8' });
}

/** Removes a table a spec tracked with `install --table`: its capture and history (`untrack --drop-history --yes`), then the table. */
export async function removeTrackedTable(table: string): Promise<void> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM rowtrail.tracked_table WHERE table_name = $1', [table]);
    if (rowCount) rowtrailCli('untrack', table, '--drop-history', '--yes');
    await client.query(`DROP TABLE IF EXISTS ${table}`);
  } finally {
    await client.end();
  }
}
