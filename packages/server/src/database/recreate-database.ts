import pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import { withDatabase } from './start-database.js';

/** Drops (if present) and creates a database on the server; returns its URL. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}
