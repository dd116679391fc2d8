import type { TestProject } from 'vitest/node';
import { startDatabase } from '../database/start-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** One PostgreSQL server for the run (DATABASE_URL or embedded); each test file makes its own database on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await startDatabase({ name: 'test-postgres', port: 54339 });
  project.provide('databaseUrl', database.url);
  return () => database.stop();
}
