import pg from 'pg';
import { recreateDatabase } from '../database/recreate-database.js';

/**
 * (Re)creates the demo database on the server and returns its URL. The demo
 * always starts from an empty database so that every run shows the same story.
 */
export async function recreateDemoDatabase(serverUrl: string, name: string): Promise<string> {
  return recreateDatabase(serverUrl, name);
}

/**
 * Connects to the server now and returns a function that drops the demo database over that connection (for
 * --drop-database-on-exit). The connection is opened up front because once a stop signal reaches PostgreSQL (an
 * embedded server shares the demo's process group, so SIGTERM reaches it too) it accepts no new connections, while
 * open ones keep working until they end.
 */
export async function prepareDropDemoDatabase(serverUrl: string, name: string): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: serverUrl, application_name: 'rowtrail-demo-cleanup' });
  admin.on('error', () => undefined); // reported by the query below if it matters
  await admin.connect();
  return async () => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  };
}
