import type { Command } from 'commander';
import pg from 'pg';
import { quoteIdent } from '../../ddl/quote.js';
import { schemaFlag } from '../schema-option.js';

/** Global options every command sees (see program.ts). */
export interface GlobalOptions {
  databaseUrl?: string;
  schema: string;
}

/**
 * A connection string with its password hidden, for messages: the one in user:password@ and any parameter that is
 * one (pg reads `?password=`, and `sslpassword=` unlocks a client key).
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Turns a connection failure into a message that says what to check. */
export function connectionErrorMessage(error: unknown, url: string): string {
  const e = error as { code?: string; message?: string };
  const where = redactUrl(url);
  switch (e.code) {
    case 'ECONNREFUSED': return `cannot connect to PostgreSQL at ${where}: connection refused (is the server running, and are host and port right?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot connect to PostgreSQL at ${where}: unknown host`;
    case 'ETIMEDOUT': return `cannot connect to PostgreSQL at ${where}: timed out`;
    case '28P01': case '28000': return `cannot connect to PostgreSQL at ${where}: authentication failed (${e.message})`;
    case '3D000': return `cannot connect to PostgreSQL at ${where}: ${e.message}`;
    default: return `cannot connect to PostgreSQL at ${where}: ${e.message ?? String(error)}`;
  }
}

/**
 * Runs fn with a pool on --database-url (or $DATABASE_URL), after checking the
 * connection works; the pool is closed afterwards.
 */
export async function withPool<T>(command: Command, fn: (pool: pg.Pool, options: GlobalOptions) => Promise<T>): Promise<T> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error('no database given: pass --database-url <url> or set DATABASE_URL');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`--database-url must be a postgres:// or postgresql:// URL, got ${redactUrl(url)}`);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, application_name: 'rowtrail-cli' });
  pool.on('error', () => undefined); // idle connection lost: the next query reports it
  try {
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      throw new Error(connectionErrorMessage(error, url), { cause: error });
    }
    return await fn(pool, options);
  } finally {
    await pool.end();
  }
}

/** Fails with a clear message when Rowtrail is not installed in the schema. */
export async function requireInstalled(pool: pg.Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ registry: string | null }>(`SELECT to_regclass($1) AS registry`, [`${quoteIdent(schema)}.tracked_table`]);
  if (!rows[0].registry) throw new Error(`Rowtrail is not installed in this database (no schema "${schema}" with its tracked_table registry): run "rowtrail install${schemaFlag(schema)}" first`);
}
