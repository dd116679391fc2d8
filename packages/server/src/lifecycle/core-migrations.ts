import type { SqlMigration } from '../install/sql-files.js';
import { SQL_FILE_HASHES } from './sql-file-hashes.js';

export interface CoreMigrationState {
  state: 'installed' | 'outdated' | 'missing';
  /** Why an applied file counts as outdated. */
  detail?: string;
}

/**
 * State of a core SQL file given the hash recorded when it was applied
 * (undefined: not applied). A file applied with another hash than its
 * current one or an acknowledged earlier one (SQL_FILE_HASHES) was modified
 * after it shipped: it is reported outdated, and neither install nor a
 * generated migration runs it again (its objects exist; the fix is a new file).
 */
export function coreMigrationState(migration: SqlMigration, recordedHash: string | undefined): CoreMigrationState {
  if (recordedHash === undefined) return { state: 'missing' };
  if (recordedHash === migration.hash || (SQL_FILE_HASHES[migration.id] ?? []).includes(recordedHash)) return { state: 'installed' };
  const file = `sql/${String(migration.id).padStart(6, '0')}_${migration.name}.sql`;
  return {
    state: 'outdated',
    detail: `modified since install (applied ${recordedHash.slice(0, 12)}, now ${migration.hash.slice(0, 12)}): `
      + `${file} is not run again; add a new migration file instead`,
  };
}

/**
 * The highest core version recorded in a schema when it is above every core file this release has (a later release of
 * Rowtrail installed the schema, whose functions this release's would take back); undefined otherwise. Pure.
 */
export function laterCoreVersion(recorded: Iterable<number>, migrations: readonly SqlMigration[]): number | undefined {
  const highest = Math.max(0, ...recorded);
  return highest > Math.max(0, ...migrations.map((m) => m.id)) ? highest : undefined;
}
