import os from 'node:os';
import pg from 'pg';
import { dropDatabaseWhenIdle } from '../packages/server/src/database/drop-database.js';
import { startDatabase, withDatabase } from '../packages/server/src/database/start-database.js';
import { recreateDatabase } from '../packages/server/src/database/recreate-database.js';

export interface BenchServer {
  /** Server URL (DATABASE_URL, or the embedded server's). */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** The PostgreSQL the benchmark runs on: DATABASE_URL, else an embedded server of its own. */
export async function openBenchServer(log: (m: string) => void): Promise<BenchServer> {
  if (!process.env.DATABASE_URL) log('DATABASE_URL not set: starting an embedded PostgreSQL in .rowtrail/bench-postgres');
  const handle = await startDatabase({ name: 'bench-postgres', port: 54349, log: () => undefined });
  return { url: handle.url, embedded: handle.embedded, stop: () => handle.stop() };
}

/** Drops (if present) and creates a database on the server; returns its URL. */
export const freshDatabase = recreateDatabase;

/** Creates a database unless it exists; returns its URL and whether it was created. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<{ url: string; created: boolean }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
    return { url: withDatabase(serverUrl, name), created: !rowCount };
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await dropDatabaseWhenIdle(admin, name);
  } finally {
    await admin.end();
  }
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  postgres: string;
  postgresVersionNum: number;
  postgresSettings: string;
  embedded: boolean;
}

export async function machineInfo(serverUrl: string, embedded: boolean): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const version = (await client.query(`SELECT version() AS v, current_setting('server_version_num')::int AS n`)).rows[0];
    const settings = await client.query(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size') ORDER BY name`,
    );
    return {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: String(version.v).split(',')[0],
      postgresVersionNum: version.n,
      postgresSettings: settings.rows.map((r) => `${r.name}=${formatSetting(r.setting, r.unit)}`).join(', '),
      embedded,
    };
  } finally {
    await client.end();
  }
}

/** A pg_settings value with its unit resolved, e.g. 16384 × 8kB → "128 MB". */
function formatSetting(setting: string, unit: string | null): string {
  const kb = unit === '8kB' ? Number(setting) * 8 : unit === 'kB' ? Number(setting) : unit === 'MB' ? Number(setting) * 1024 : undefined;
  if (kb === undefined) return setting + (unit ?? '');
  return kb >= 1024 * 1024 ? `${kb / 1024 / 1024} GB` : kb >= 1024 ? `${kb / 1024} MB` : `${kb} kB`;
}
