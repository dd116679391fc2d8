import { rmSync } from 'node:fs';
import path from 'node:path';
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
  const shared = 'test-postgres';
  const busy = !process.env.DATABASE_URL && liveClusterOwner(path.join(LOCAL_STATE_DIR, shared)) !== undefined;
  const name = busy ? `${shared}-${process.pid}` : shared;
  const database = await startDatabase({ name, port: 54339 });
  project.provide('databaseUrl', database.url);
  return async () => {
    await database.stop();
    if (busy) rmSync(path.join(LOCAL_STATE_DIR, name), { recursive: true, force: true });
  };
}
