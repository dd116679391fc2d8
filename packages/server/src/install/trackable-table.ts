import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { RowtrailSchemaOptions, TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { captureTriggers, otherSchemas } from './capture-trigger-schemas.js';
import { describeColumnMismatch, hasColumnMismatch, tableColumnMismatch, type TableColumnMismatch } from './table-column-mismatch.js';

/**
 * Refuses a table whose schema name holds a dot: Rowtrail names a tracked table schema.table (the registry's key, the
 * event's table, --table), read back up to the first dot, so public."a.b" and "public.a".b would both be public.a.b
 * and share one registry row, the first table's history then missing from rowtrail.event (and one table's name in
 * ignore() would let writes to the other through its protections). Pure.
 */
export function assertUnambiguousTableNames(specs: ReadonlyArray<Pick<TrackedTableSpec, 'schema' | 'table'>>, what: 'track' | 'protect' = 'track'): void {
  for (const spec of specs) {
    const dot = spec.schema.indexOf('.');
    if (dot < 0) continue;
    const readAs = qualified(spec.schema.slice(0, dot), `${spec.schema.slice(dot + 1)}.${spec.table}`);
    throw new Error(`Rowtrail: cannot ${what} table ${qualified(spec.schema, spec.table)}: its schema name holds a dot, and Rowtrail names tables `
      + `schema.table, read up to the first dot (${spec.schema}.${spec.table} would name table ${readAs}); rename the schema`);
  }
}

/**
 * Refuses specs of which two would share one history table (say public.billing_invoice and billing.invoice,
 * both billing_invoice_history by default): their captures would replace each other's functions. Checks the names are
 * unambiguous first. Pure.
 */
export function assertDistinctHistoryTables(specs: ReadonlyArray<Pick<TrackedTableSpec, 'schema' | 'table'>>, options: RowtrailSchemaOptions): void {
  assertUnambiguousTableNames(specs);
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const table = `${spec.schema}.${spec.table}`;
    const history = options.snapshotTableName(spec);
    const other = seen.get(history);
    if (other !== undefined && other !== table) throw sharedHistoryTable(other, table, options.schema, history);
    seen.set(history, table);
  }
}

const sharedHistoryTable = (first: string, second: string, schema: string, history: string) =>
  new Error(`Rowtrail: cannot track both ${first} and ${second}: they would share the history table ${schema}.${history}; give one of them another name with the snapshotTableName option of install() or installTracked() (rowtrail install --table has none: track one of them from code)`);

/** A table to track that the database does not have (yet): its migration has not run, say. */
export class MissingTableError extends Error {
  constructor(readonly table: string, origin?: string) {
    super(origin
      ? `Rowtrail: cannot track table ${table}, ${origin}: it does not exist; create it first (run the migration that creates it)`
      : `Rowtrail: cannot track table ${table}: it does not exist`);
    this.name = 'MissingTableError';
  }

  /** The same error, naming what declared the table (an entity, a relation's join table). */
  withOrigin(origin: string): MissingTableError {
    return new MissingTableError(this.table, origin);
  }
}

/** What to do about a table whose columns are not the declared ones (ColumnMismatchError; status says it too). */
export const COLUMN_MISMATCH_REMEDY = 'run the migrations that bring the table up to date first, or make the declaration match the table';

/** A table to track whose columns are not the ones declared: a migration renamed, dropped or retyped one, say. */
export class ColumnMismatchError extends Error {
  constructor(readonly table: string, readonly mismatch: TableColumnMismatch, origin?: string) {
    super(`Rowtrail: cannot track table ${table}${origin ? `, ${origin}` : ''}: ${describeColumnMismatch(mismatch)}. `
      + `History reads every recorded column on every write, in the declared type: ${COLUMN_MISMATCH_REMEDY}`);
    this.name = 'ColumnMismatchError';
  }

  withOrigin(origin: string): ColumnMismatchError {
    return new ColumnMismatchError(this.table, this.mismatch, origin);
  }
}

/**
 * Refuses tables whose changes the capture triggers could not all see, before anything is
 * installed. Partitioned tables: statement-level triggers fire only for statements on the
 * parent (not for writes sent to a partition), and an update that moves a row to another
 * partition runs as a delete and an insert, so the key-change trigger never sees it and a
 * multi-row update could not pair the moved row: history would silently miss changes.
 * Tables in an inheritance hierarchy (INHERITS), for the same first reason: a statement on a
 * parent also changes its children's rows, but fires only the parent's triggers.
 */
export async function assertTrackableTable(client: pg.ClientBase, spec: TrackedTableSpec, options: RowtrailSchemaOptions, renamedFrom?: string): Promise<void> {
  const table = `${spec.schema}.${spec.table}`;
  const problem = await untrackableReason(client, spec);
  if (problem === null) throw new MissingTableError(table);
  if (problem !== undefined) throw new Error(`Rowtrail: cannot track ${problem.notTable ? '' : 'table '}${table}: ${problem.reason}`);
  const mismatch = await tableColumnMismatch(client, spec);
  if (hasColumnMismatch(mismatch)) throw new ColumnMismatchError(table, mismatch);
  await assertNotTrackedElsewhere(client, spec, options, renamedFrom);
}

/**
 * Why a table cannot be tracked, for a table that became so after its install (attached as a partition, given an
 * inheritance child): what its capture records now, and the statements that make it trackable again.
 */
export interface TrackedUntrackable {
  /** What history records of the table now ("acct_child inherits from it: statements on public.acct also change …"). */
  effect: string;
  /** The statements that take the table out of the hierarchy, after which install tracks it again. */
  detach: string[];
}

/**
 * Why a table cannot be tracked (see assertTrackableTable), undefined when it can, null when it does not exist. Also
 * for a tracked table that became one since (attached as a partition, say): status reports it, with `tracked`.
 */
export async function untrackableReason(
  client: pg.ClientBase, spec: Pick<TrackedTableSpec, 'schema' | 'table'>,
): Promise<{ reason: string; notTable?: true; tracked?: TrackedUntrackable } | undefined | null> {
  const { rows } = await client.query<{ relkind: string; self: string; parent: string | null; inherits: string[] | null; inherited_by: string[] | null }>(
    `SELECT c.relkind, c.oid::regclass::text AS self,
       (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition) AS parent,
       (SELECT array_agg(i.inhparent::regclass::text ORDER BY i.inhseqno) FROM pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition) AS inherits,
       (SELECT array_agg(i.inhrelid::regclass::text ORDER BY i.inhrelid::regclass::text) FROM pg_inherits i WHERE i.inhparent = c.oid AND c.relkind = 'r') AS inherited_by
     FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [qualified(spec.schema, spec.table)],
  );
  if (rows.length === 0) return null;
  // names in the statements as PostgreSQL writes them for this session (schema-qualified unless on its search_path)
  const { relkind, self: table, parent, inherits, inherited_by: inheritedBy } = rows[0];
  const name = `${spec.schema}.${spec.table}`;
  if (relkind === 'p') {
    return { reason: 'it is a partitioned table, and Rowtrail\'s triggers would miss writes sent to its partitions and updates that move rows between partitions. Track a regular table.' };
  }
  if (parent) {
    return {
      reason: `it is a partition of ${parent}, and updates that move rows out of it would be lost from its history (and writes made through ${parent} fire its triggers, not this table's). Track a regular table.`,
      tracked: {
        effect: `it is a partition of ${parent} now: writes made through ${parent} do not fire its capture, so history misses them (updates that move rows out of it among them)`,
        detach: [`ALTER TABLE ${parent} DETACH PARTITION ${table}`],
      },
    };
  }
  const list = (names: string[]) => names.join(', ');
  if (inherits) {
    return {
      reason: `it inherits from ${list(inherits)}, and a statement on a parent table also changes its children's rows but fires only the parent's triggers, so history would miss changes. Track tables outside an inheritance hierarchy.`,
      tracked: {
        effect: `it inherits from ${list(inherits)} now: statements on ${list(inherits)} that change its rows do not fire its capture, so history misses those changes`,
        detach: inherits.map((p) => `ALTER TABLE ${table} NO INHERIT ${p}`),
      },
    };
  }
  if (inheritedBy) {
    const children = list(inheritedBy);
    const one = inheritedBy.length === 1;
    return {
      reason: `${children} inherit${one ? 's' : ''} from it, and a statement on a parent table also changes its children's rows but fires only the parent's triggers, so history would miss changes. Track tables outside an inheritance hierarchy.`,
      tracked: {
        // the parent's capture reads its statements' transition tables, which hold the children's rows too
        effect: `${children} inherit${one ? 's' : ''} from it now: statements on ${name} also change ${one ? 'that table\'s' : 'their'} rows, which history records as `
          + `${name}'s (updates and deletes of records whose insert it never saw, keyed as ${name}'s own), while statements on ${children} ${one ? 'itself are' : 'themselves are'} not recorded at all`,
        detach: inheritedBy.map((c) => `ALTER TABLE ${c} NO INHERIT ${table}`),
      },
    };
  }
  if (relkind !== 'r') return { reason: `it is not a table (relkind '${relkind}')`, notTable: true };
  return undefined;
}

/**
 * Refuses a table whose capture triggers (fixed names) run the functions of another Rowtrail schema: installing
 * would take that installation's capture over, and its own install would then find triggers of the right names and
 * report nothing to do while recording nothing. And a table whose history table is already another table's.
 */
async function assertNotTrackedElsewhere(
  client: pg.ClientBase, spec: Pick<TrackedTableSpec, 'schema' | 'table'>, options: RowtrailSchemaOptions, renamedFrom = '',
): Promise<void> {
  const table = `${spec.schema}.${spec.table}`;
  const history = options.snapshotTableName(spec);
  const elsewhere = otherSchemas(await captureTriggers(client, qualified(spec.schema, spec.table)), options.schema);
  if (elsewhere.length > 0) {
    throw new Error(`Rowtrail: cannot track table ${table} in schema "${options.schema}": its capture triggers write to the Rowtrail installation in schema ${elsewhere.map((s) => `"${s}"`).join(', ')}, and a table can be tracked by one installation. Remove its capture there first (uninstall that installation, or drop the table's rowtrail_capture_* and rowtrail_truncate_capture triggers).`);
  }
  const registry = qualified(options.schema, 'tracked_table');
  if ((await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [registry])).rows[0].present) {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM ${registry} WHERE snapshot_table = $1 AND table_name <> $2 AND table_name <> $3`, [history, table, renamedFrom]);
    if (rows.length > 0) throw sharedHistoryTable(table, rows[0].table_name, options.schema, history);
  }
}
