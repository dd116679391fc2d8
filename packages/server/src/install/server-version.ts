import type pg from 'pg';

/** The oldest PostgreSQL release Rowtrail installs into (server_version_num): the oldest its test suite runs on. */
export const MINIMUM_SERVER_VERSION = 140000;

/** Why Rowtrail cannot be installed on a server of this version, or undefined when it can. */
export function unsupportedServerReason(versionNum: number, version: string): string | undefined {
  if (versionNum >= MINIMUM_SERVER_VERSION) return undefined;
  return `Rowtrail: PostgreSQL 14 or later is needed, and this server runs PostgreSQL ${version}; nothing was installed`;
}

/** Refuses a server older than MINIMUM_SERVER_VERSION before anything is installed (or a migration planned for it). */
export async function assertSupportedServer(client: pg.ClientBase): Promise<void> {
  const { rows: [row] } = await client.query<{ num: string; version: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`);
  const reason = unsupportedServerReason(Number(row.num), row.version);
  if (reason) throw new Error(reason);
}
