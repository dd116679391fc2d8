import pg from 'pg';
import { withDatabase } from '../database/start-database.js';

/**
 * (Re)creates the demo database on the server and returns its URL. The demo
 * always starts from an empty database so that every run shows the same story.
 */
export async function recreateDemoDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}
