import type pg from 'pg';

/** The oldest PostgreSQL release Rowtrail installs into (server_version_num): the oldest its test suite runs on. */
export const MINIMUM_SERVER_VERSION = 140000;

/** Why Rowtrail cannot be installed on a server of this version, or undefined when it can. */
export function unsupportedServerReason(versionNum: number, version: string): string | undefined {
  if (versionNum >= MINIMUM_SERVER_VERSION) return undefined;
  return `Rowtrail: PostgreSQL 14 or later is needed, and this server runs PostgreSQL ${version}; nothing was installed`;
}

/**
 * Why Rowtrail cannot be installed into a database of this encoding, or undefined when it can. Request contexts travel
 * as UTF-8 JSON in a comment on every statement: PostgreSQL converts a statement to the database's encoding, so in a
 * LATIN1 database a context holding a character LATIN1 lacks (a user's name in another script, the "…" of a
 * shortened URL) would fail every statement of its request, reads included, and Rowtrail's own SQL holds such characters.
 */
export function unsupportedEncodingReason(encoding: string, database: string): string | undefined {
  if (encoding === 'UTF8') return undefined;
  return `Rowtrail: the database ${JSON.stringify(database)} is encoded in ${encoding}, and Rowtrail needs a UTF-8 database `
    + `(request contexts travel as UTF-8 in every statement; a character ${encoding} lacks would fail its request's statements); `
    + `nothing was installed. Create the database with ENCODING 'UTF8'`;
}

/**
 * Refuses a server older than MINIMUM_SERVER_VERSION, or a database not encoded in UTF-8, before anything is installed
 * (or a migration planned for it).
 */
export async function assertSupportedServer(client: pg.ClientBase): Promise<void> {
  const { rows: [row] } = await client.query<{ num: string; version: string; encoding: string; database: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
       current_setting('server_encoding') AS encoding, current_database() AS database`);
  const reason = unsupportedServerReason(Number(row.num), row.version) ?? unsupportedEncodingReason(row.encoding, row.database);
  if (reason) throw new Error(reason);
}
