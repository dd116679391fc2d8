import { identifierName, postgresIdentifier } from './identifier-name.js';
import { unboundedType } from './unbounded-type.js';

/**
 * What Rowtrail needs to know about a tracked table. Independent of any ORM:
 * the TypeORM adapter builds it from entity metadata.
 */
export interface TrackedColumn {
  name: string;
  /** Full SQL type as it should appear in the snapshot table, e.g. "numeric(10,2)" or "text[]". */
  type: string;
}

export interface TrackedTableSpec {
  /** Schema of the source table. */
  schema: string;
  /** Name of the source table. */
  table: string;
  /** Primary-key column names, in key order. */
  primaryKey: string[];
  /** Every column of the source table, excluded ones included (they are filtered here). */
  columns: TrackedColumn[];
  /** Columns that never reach any history table (secrets). */
  exclude: string[];
  /** Columns that are snapshotted but whose change alone does not make an event. */
  ignoreChanges: string[];
  /** Label written on every event of this table. */
  label: string;
}

/**
 * Who declares a tracked table (the registry's declared_by, sql/000009): an application (entities, or specs in
 * code), or `rowtrail install --table`, from the catalog. Status and prune of an application's declarations
 * leave the catalog's tables alone.
 */
export type TableDeclaration = 'application' | 'catalog';

export interface RowtrailSchemaOptions {
  /** Schema that holds Rowtrail's tables and functions. Default "rowtrail". */
  schema: string;
  /**
   * Snapshot table name for a source table. Default: `${table}_history` (`${schema}_${table}_history` outside "public").
   * A name longer than PostgreSQL's 63 bytes is shortened with a hash of the whole name (PostgreSQL would cut it,
   * and two long names could then share one history table).
   */
  snapshotTableName: (source: { schema: string; table: string }) => string;
}

export const defaultSnapshotTableName = (source: { schema: string; table: string }): string =>
  source.schema === 'public' ? `${source.table}_history` : `${source.schema}_${source.table}_history`;

export function resolveSchemaOptions(options: Partial<RowtrailSchemaOptions> = {}): RowtrailSchemaOptions {
  const given = options.snapshotTableName ?? defaultSnapshotTableName;
  const unfitted = (given as NamingFunction).unfitted ?? given;
  // identifierName() keeps a name PostgreSQL keeps whole as it is, so resolving resolved options changes nothing
  const fitted: NamingFunction = Object.assign((source: { schema: string; table: string }) => identifierName(unfitted(source)), { unfitted });
  return { schema: options.schema ?? 'rowtrail', snapshotTableName: fitted };
}

type NamingFunction = RowtrailSchemaOptions['snapshotTableName'] & { unfitted?: RowtrailSchemaOptions['snapshotTableName'] };

/**
 * The name a history table was created under before names were fitted (PostgreSQL cut the uncut name at 63
 * bytes), when it differs from today's, with the uncut name the capture's indexes and functions were named
 * after: the capture DDL adopts such a table instead of starting an empty one.
 */
export function legacySnapshotTableName(options: RowtrailSchemaOptions, source: { schema: string; table: string }): { cut: string; uncut: string } | undefined {
  const uncut = (options.snapshotTableName as NamingFunction).unfitted?.(source);
  if (uncut === undefined || postgresIdentifier(uncut) === uncut) return undefined;
  return { cut: postgresIdentifier(uncut), uncut };
}

/** Meta columns of every history table, before the entity's columns. Prefixed so they never clash with entity columns. */
export const HISTORY_META_COLUMNS = [
  { name: 'rowtrail_event_id', type: 'bigint' },
  { name: 'rowtrail_created_at', type: 'timestamptz' },
  { name: 'rowtrail_label', type: 'text' },
  { name: 'rowtrail_operation', type: 'text' },
  { name: 'rowtrail_record_key', type: 'jsonb' },
  { name: 'rowtrail_old_record_key', type: 'jsonb' },
  { name: 'rowtrail_context_id', type: 'uuid' },
  { name: 'rowtrail_txid', type: 'bigint' },
  { name: 'rowtrail_changes', type: 'jsonb' },
  // A key change's statement: the event id of the first key change that statement recorded (null on other events).
  // Readers need it to tell rows swapping keys in one statement from a record moved on by a later statement of the
  // same transaction (which shares the transaction id and statement time, e.g. in one simple-query message).
  { name: 'rowtrail_key_change_statement', type: 'bigint' },
] as const;

/** Validates a spec and returns the columns that are snapshotted: excluded ones removed, types without size limits. */
export function snapshotColumns(spec: TrackedTableSpec): TrackedColumn[] {
  const where = `tracked table ${spec.schema}.${spec.table}`;
  const names = new Set(spec.columns.map((c) => c.name));
  if (spec.primaryKey.length === 0) throw new Error(`Rowtrail: ${where} has no primary key; history needs one to identify records`);
  for (const key of spec.primaryKey) {
    if (!names.has(key)) throw new Error(`Rowtrail: ${where}: primary-key column "${key}" is not among its columns`);
    if (spec.exclude.includes(key)) throw new Error(`Rowtrail: ${where}: primary-key column "${key}" cannot be excluded`);
  }
  for (const name of [...spec.exclude, ...spec.ignoreChanges]) {
    if (!names.has(name)) throw new Error(`Rowtrail: ${where}: unknown column "${name}" in exclude/ignoreChanges`);
  }
  for (const name of names) {
    if (name.startsWith('rowtrail_')) throw new Error(`Rowtrail: ${where}: column "${name}" uses the "rowtrail_" prefix reserved for snapshot meta columns`);
  }
  return spec.columns.filter((c) => !spec.exclude.includes(c.name)).map((c) => ({ name: c.name, type: unboundedType(c.type) }));
}
