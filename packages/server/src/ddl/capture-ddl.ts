import { anyColumnDiffers } from './column-comparison.js';
import { dollarQuote } from './dollar-quote.js';
import { identifierName, sha256, shortHash } from './identifier-name.js';
import { jsonbObject } from './json-expressions.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';
import { SNAPSHOT_META_COLUMNS, snapshotColumns, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from './tracked-table-spec.js';
import { updateDiffExpression } from './update-diff-expression.js';

export interface CaptureDdl {
  /** Name of the snapshot table inside the Rowtrail schema. */
  snapshotTable: string;
  /** Statements that create or bring up to date the snapshot table, functions and triggers. */
  statements: string[];
  /** Hash of the statements: changes whenever the generated SQL changes. */
  hash: string;
}

export const CAPTURE_TRIGGER_NAMES = {
  insert: 'rowtrail_capture_insert',
  update: 'rowtrail_capture_update',
  delete: 'rowtrail_capture_delete',
  keyChange: 'rowtrail_capture_key_change',
} as const;

/**
 * Builds the DDL that captures a table's history: a typed snapshot table and
 * statement-level triggers with transition tables (one set-based insert per
 * statement), plus a row-level trigger limited to updates that change the
 * primary key (transition tables cannot pair old and new rows once the key changed).
 * Pure: no database needed.
 */
export function buildCaptureDdl(spec: TrackedTableSpec, options: RowtrailSchemaOptions): CaptureDdl {
  const columns = snapshotColumns(spec);
  const s = quoteIdent(options.schema);
  const snapshotTable = options.snapshotTableName({ schema: spec.schema, table: spec.table });
  const snap = qualified(options.schema, snapshotTable);
  const source = qualified(spec.schema, spec.table);
  const tableName = quoteLiteral(`${spec.schema}.${spec.table}`);
  const label = quoteLiteral(spec.label);
  const fn = (suffix: string) => qualified(options.schema, identifierName(snapshotTable, suffix));
  const keyColumns = spec.primaryKey.map((name) => columns.find((c) => c.name === name)!);
  const compared = columns.filter((c) => !spec.ignoreChanges.includes(c.name));
  const keyChangeSetting = `rowtrail.key_change_${shortHash(`${options.schema}.${snapshotTable}`)}`;

  const col = (prefix: string) => (c: TrackedColumn) => `${prefix}${quoteIdent(c.name)}`;
  const keyOf = (prefix: string) => jsonbObject(keyColumns.map((c) => [c.name, col(prefix)(c)]));
  const fullRow = (prefix: string) => jsonbObject(columns.map((c) => [c.name, col(prefix)(c)]));
  const columnList = columns.map((c) => quoteIdent(c.name)).join(', ');
  const metaList = SNAPSHOT_META_COLUMNS.map((c) => c.name).join(', ');
  // Resolved once per statement, and only when a row is captured (an uncorrelated
  // subquery is an init plan: evaluated on first use), so a statement that
  // changes nothing stores no context.
  const statementMeta = `(SELECT ${s}.context_id()) AS rowtrail_context_id, (SELECT txid_current()) AS rowtrail_txid`;
  const nextEventId = `nextval(${quoteLiteral(`${s}.event_id_seq`)}::regclass)`;

  // The snapshot and diff inserts that follow a materialised CTE "ev" of captured rows.
  const snapshotAndDiffInsert = (operation: 'INSERT' | 'UPDATE' | 'DELETE') => `, snapshot AS (
    INSERT INTO ${snap} (${metaList}, ${columnList})
    SELECT ev.rowtrail_event_id, statement_timestamp(), ${label}, '${operation}', ev.rowtrail_key, NULL, ev.rowtrail_context_id, ev.rowtrail_txid, ${columns.map((c) => `ev.${quoteIdent(c.name)}`).join(', ')}
    FROM ev
  )
  INSERT INTO ${s}.diff (event_id, table_name, record_key, operation, changes, label, context_id, txid, created_at)
  SELECT ev.rowtrail_event_id, ${tableName}, ev.rowtrail_key, '${operation}', ev.rowtrail_changes, ${label}, ev.rowtrail_context_id, ev.rowtrail_txid, statement_timestamp()
  FROM ev`;

  // INSERT and DELETE: snapshot the new (resp. old) rows, diff = full values.
  const wholeRowCapture = (operation: 'INSERT' | 'DELETE', transition: string) => `
BEGIN
  WITH ev AS MATERIALIZED (
    SELECT ${nextEventId} AS rowtrail_event_id, ${statementMeta}, ${keyOf('r.')} AS rowtrail_key, ${fullRow('r.')} AS rowtrail_changes, ${columns.map((c) => `r.${quoteIdent(c.name)}`).join(', ')}
    FROM ${transition} r
  )${snapshotAndDiffInsert(operation)};
  RETURN NULL;
END`;

  // The diff is computed inside the join, so the materialised rows carry the
  // new values and one jsonb instead of old and new copies of every column.
  const updateStatement = (extraCondition: string) => `  WITH ev AS MATERIALIZED (
    SELECT ${nextEventId} AS rowtrail_event_id, ${statementMeta}, ${keyOf('n.')} AS rowtrail_key,
      ${updateDiffExpression(columns, col('o.'), col('n.'))} AS rowtrail_changes,
      ${columns.map((c) => `n.${quoteIdent(c.name)}`).join(', ')}
    FROM rowtrail_old o JOIN rowtrail_new n ON ${keyColumns.map((c) => `o.${quoteIdent(c.name)} = n.${quoteIdent(c.name)}`).join(' AND ')}
    WHERE ${anyColumnDiffers(compared, 'o.', 'n.')}${extraCondition}
  )${snapshotAndDiffInsert('UPDATE')};`;
  // Two statements rather than one with "key_change_from IS NULL OR NOT EXISTS
  // (...)": the common one then plans and initialises no subquery on diff.
  const updateCapture = `
DECLARE
  key_change_from bigint := nullif(current_setting('${keyChangeSetting}', true), '')::bigint;
BEGIN
  IF key_change_from IS NOT NULL THEN
    PERFORM set_config('${keyChangeSetting}', '', true);
  END IF;
  IF key_change_from IS NULL THEN
${updateStatement('')}
  ELSE
${updateStatement(`
      AND NOT EXISTS (
        SELECT 1 FROM ${s}.diff d
        WHERE d.event_id >= key_change_from AND d.table_name = ${tableName}
          AND d.old_record_key IS NOT NULL AND d.record_key = ${keyOf('n.')})`)}
  END IF;
  RETURN NULL;
END`;

  const keyChangeCapture = `
DECLARE
  event_id bigint := ${nextEventId};
  context uuid := ${s}.context_id();
BEGIN
  -- Tell this statement's update trigger which events were written here, so it
  -- does not pair this row's new key with another row's old version.
  IF nullif(current_setting('${keyChangeSetting}', true), '') IS NULL THEN
    PERFORM set_config('${keyChangeSetting}', event_id::text, true);
  END IF;
  INSERT INTO ${snap} (${metaList}, ${columnList})
  VALUES (event_id, statement_timestamp(), ${label}, 'UPDATE', ${keyOf('NEW.')}, ${keyOf('OLD.')}, context, txid_current(), ${columns.map(col('NEW.')).join(', ')});
  INSERT INTO ${s}.diff (event_id, table_name, record_key, old_record_key, operation, changes, label, context_id, txid, created_at)
  VALUES (event_id, ${tableName}, ${keyOf('NEW.')}, ${keyOf('OLD.')}, 'UPDATE',
    ${updateDiffExpression(columns, col('OLD.'), col('NEW.'))},
    ${label}, context, txid_current(), statement_timestamp());
  RETURN NULL;
END`;

  // The update capture joins two transition tables whose sizes the planner
  // learns only from the call that plans it, and PL/pgSQL caches that plan:
  // - enable_nestloop = off: after a few single-row updates in a session, the
  //   cached plan was a nested loop, and a later 20k-row update of the same
  //   session took 52 s (400M pairs); a hash or merge join stays linear.
  // - jit = off: for a bulk update the planner estimates rows × rows × 0.005
  //   join rows, so it JIT-compiled the capture (~10% of the statement in
  //   bench/), which sped up nothing: the work is inserts.
  const createFunction = (name: string, body: string, settings = '') =>
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql${settings} AS ${dollarQuote(`${body}\n`)}`;
  const keyDiffers = anyColumnDiffers(keyColumns, 'OLD.', 'NEW.');
  const trigger = (name: string, timing: string) => [
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`,
    `CREATE TRIGGER ${quoteIdent(name)} ${timing}`,
  ];

  const statements = [
    `CREATE TABLE IF NOT EXISTS ${snap} (${[...SNAPSHOT_META_COLUMNS, ...columns].map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
    ...columns.map((c) => `ALTER TABLE ${snap} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`),
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(identifierName(snapshotTable, 'event_idx'))} ON ${snap} (rowtrail_event_id)`,
    // A record's versions in event order, compared in the key's own types (the query API's record
    // lookups); named after the key columns, so a new primary key gets its own index.
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(identifierName(snapshotTable, `key_${shortHash(spec.primaryKey.join(','))}`))} ON ${snap} (${keyColumns.map((c) => quoteIdent(c.name)).join(', ')}, rowtrail_event_id)`,
    createFunction(fn('insert'), wholeRowCapture('INSERT', 'rowtrail_new')),
    createFunction(fn('update'), updateCapture, ' SET enable_nestloop = off SET jit = off'),
    createFunction(fn('delete'), wholeRowCapture('DELETE', 'rowtrail_old')),
    createFunction(fn('key_change'), keyChangeCapture),
    ...trigger(CAPTURE_TRIGGER_NAMES.insert, `AFTER INSERT ON ${source} REFERENCING NEW TABLE AS rowtrail_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn('insert')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.update, `AFTER UPDATE ON ${source} REFERENCING OLD TABLE AS rowtrail_old NEW TABLE AS rowtrail_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn('update')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.delete, `AFTER DELETE ON ${source} REFERENCING OLD TABLE AS rowtrail_old FOR EACH STATEMENT EXECUTE FUNCTION ${fn('delete')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.keyChange, `AFTER UPDATE ON ${source} FOR EACH ROW WHEN (${keyDiffers}) EXECUTE FUNCTION ${fn('key_change')}()`),
  ];
  return { snapshotTable, statements, hash: sha256(statements.join(';\n')) };
}

/** Statements that remove a table's capture triggers (history tables are kept). */
export function buildDropCaptureDdl(spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string[] {
  const source = qualified(spec.schema, spec.table);
  return Object.values(CAPTURE_TRIGGER_NAMES).map((name) => `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`);
}
