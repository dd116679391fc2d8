import { captureParts } from './capture-parts.js';
import { dollarQuote } from './dollar-quote.js';
import { keyChangeCapture } from './key-change-capture.js';
import { adoptLegacyHistoryTable } from './legacy-history-name.js';
import { identifierName, sha256, shortHash } from './identifier-name.js';
import { outputSettings } from './output-settings.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';
import { HISTORY_META_COLUMNS, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from './tracked-table-spec.js';
import { updateCapture } from './update-capture.js';
import { truncateCapture, wholeRowCapture } from './whole-row-capture.js';

export interface CaptureDdl {
  /** Name of the history (snapshot) table inside the Rowtrail schema. */
  snapshotTable: string;
  /** Statements that create or bring up to date the history table, functions and triggers. */
  statements: string[];
  /** Hash of the statements: changes whenever the generated SQL changes. */
  hash: string;
}

export const CAPTURE_TRIGGER_NAMES = {
  insert: 'rowtrail_capture_insert',
  update: 'rowtrail_capture_update',
  delete: 'rowtrail_capture_delete',
  keyChange: 'rowtrail_capture_key_change',
  // PostgreSQL fires a table's BEFORE TRUNCATE triggers in name order: after every protection's (rowtrail_protect_…),
  // so a refused TRUNCATE is refused before its rows are copied into history
  truncate: 'rowtrail_truncate_capture',
} as const;

/**
 * Names capture triggers had before: install and uninstall drop them, and the lookups of the tables an installation
 * captures count them. rowtrail_capture_truncate fired before the protections' TRUNCATE triggers.
 */
export const LEGACY_CAPTURE_TRIGGER_NAMES: readonly string[] = ['rowtrail_capture_truncate'];

/** Every name a capture trigger has or had. */
export const ANY_CAPTURE_TRIGGER_NAMES: readonly string[] = [...Object.values(CAPTURE_TRIGGER_NAMES), ...LEGACY_CAPTURE_TRIGGER_NAMES];

/** Suffixes of the generated capture functions (`<history table>_<suffix>`). */
export const CAPTURE_FUNCTION_SUFFIXES = ['insert', 'update', 'delete', 'key_change', 'truncate'] as const;

/** Suffix of the history table's index on the record key: named after the key columns, so a new key gets its own. */
export const keyIndexSuffix = (primaryKey: readonly string[]): string => `key_${shortHash(primaryKey.join(','))}`;

/** Suffixes of a history table's indexes (`<history table>_<suffix>`), with the time-only BRIN index of earlier versions. */
export const historyIndexSuffixes = (primaryKey: readonly string[]): string[] =>
  ['event_idx', keyIndexSuffix(primaryKey), 'context_idx', 'created_at_idx', 'created_at_txid_idx', 'old_key_idx'];

/**
 * Builds the DDL that captures a table's history: a history table holding one
 * row per change (the typed row version and its diff), and statement-level
 * triggers with transition tables (one set-based insert per statement), plus a
 * row-level trigger limited to updates that change the primary key (transition
 * tables cannot pair old and new rows once the key changed), and a BEFORE TRUNCATE
 * trigger that records every row a TRUNCATE removes as a DELETE. Pure: no database needed, so it captures the
 * columns the spec lists; install() first leaves out those the catalog says are virtual (install/virtual-columns.ts).
 *
 * The generated functions are kept small on purpose: PostgreSQL compiles every
 * expression of a statement each time a trigger runs it, which is most of
 * what a single-row write pays for its history (see bench/ and docs/benchmarks.md).
 */
export function buildCaptureDdl(spec: TrackedTableSpec, options: RowtrailSchemaOptions): CaptureDdl {
  const parts = captureParts(spec, options);
  const { columns, snapshotTable, history, source, fn, keyColumns, keyDiffers } = parts;
  // jit = off: a plan cached after a bulk statement would otherwise JIT-compile every later capture.
  const recorded = outputSettings(columns);
  const createFunction = (name: string, body: string, settings = '') =>
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql${settings}${recorded} AS ${dollarQuote(`${body}\n`)}`;

  const trigger = (name: string, timing: string) => [
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`,
    `CREATE TRIGGER ${quoteIdent(name)} ${timing}`,
  ];
  const index = (suffix: string, definition: string) =>
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(identifierName(snapshotTable, suffix))} ON ${history} ${definition}`;

  const statements = [
    lockTrackedTable(spec),
    ...adoptLegacyHistoryTable(options, spec, snapshotTable, historyIndexSuffixes(spec.primaryKey), CAPTURE_FUNCTION_SUFFIXES),
    `CREATE TABLE IF NOT EXISTS ${history} (${[...HISTORY_META_COLUMNS, ...columns].map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
    ...[...HISTORY_META_COLUMNS, ...columns].map((c) => `ALTER TABLE ${history} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`),
    ...columns.filter((c) => /^interval(\[\])?$/.test(c.type)).map((c) => widenInterval(history, c)),
    index('event_idx', '(rowtrail_event_id)'),
    // A record's versions in event order, compared in the key's own types (the query API's record
    // lookups); named after the key columns, so a new primary key gets its own index.
    index(keyIndexSuffix(spec.primaryKey), `(${keyColumns.map((c) => quoteIdent(c.name)).join(', ')}, rowtrail_event_id)`),
    // A request's changes (contextChanges, user and request filters).
    index('context_idx', '(rowtrail_context_id, rowtrail_event_id)'),
    // Time ranges (activity buckets, from/to filters) and the transactions after a watermark (an export's `after`):
    // rows arrive in time and transaction order, so a BRIN index suffices. One index for both columns (each is
    // summarized on its own): a single-row write pays for opening and probing one BRIN index, not two.
    index('created_at_txid_idx', 'USING brin (rowtrail_created_at, rowtrail_txid)'),
    // the time-only BRIN index history tables had before the watermark (the index above replaces it)
    `DROP INDEX IF EXISTS ${qualified(options.schema, identifierName(snapshotTable, 'created_at_idx'))}`,
    // Key changes by the key a record had before (a record's state under its old key): few rows, so partial.
    index('old_key_idx', '(rowtrail_old_record_key, rowtrail_event_id) WHERE rowtrail_old_record_key IS NOT NULL'),
    createFunction(fn('insert'), wholeRowCapture(parts, 'INSERT', 'rowtrail_new'), ' SET jit = off'),
    createFunction(fn('update'), updateCapture(parts)),
    createFunction(fn('delete'), wholeRowCapture(parts, 'DELETE', 'rowtrail_old'), ' SET jit = off'),
    createFunction(fn('key_change'), keyChangeCapture(parts)),
    createFunction(fn('truncate'), truncateCapture(parts), ' SET jit = off'),
    ...trigger(CAPTURE_TRIGGER_NAMES.insert, `AFTER INSERT ON ${source} REFERENCING NEW TABLE AS rowtrail_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn('insert')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.update, `AFTER UPDATE ON ${source} REFERENCING OLD TABLE AS rowtrail_old NEW TABLE AS rowtrail_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn('update')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.delete, `AFTER DELETE ON ${source} REFERENCING OLD TABLE AS rowtrail_old FOR EACH STATEMENT EXECUTE FUNCTION ${fn('delete')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.keyChange, `AFTER UPDATE ON ${source} FOR EACH ROW WHEN (${keyDiffers('OLD.', 'NEW.')}) EXECUTE FUNCTION ${fn('key_change')}()`),
    ...LEGACY_CAPTURE_TRIGGER_NAMES.map((name) => `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`),
    ...trigger(CAPTURE_TRIGGER_NAMES.truncate, `BEFORE TRUNCATE ON ${source} FOR EACH STATEMENT EXECUTE FUNCTION ${fn('truncate')}()`),
  ];
  return { snapshotTable, statements, hash: sha256(statements.join(';\n')) };
}

/**
 * The lock a capture change takes first, before any on the history table: the one DROP TRIGGER takes later. A write
 * locks the tracked table and then, in its capture trigger, the history table; a capture change that locked the history
 * table first (ALTER TABLE … ADD COLUMN IF NOT EXISTS does, even when the column exists) and then waited for the
 * tracked table deadlocked with writes arriving in between.
 */
export function lockTrackedTable(spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string {
  // in a DO block: LOCK TABLE alone fails outside a transaction block, where the statements may also be run one by one
  return `DO ${dollarQuote(` BEGIN LOCK TABLE ONLY ${qualified(spec.schema, spec.table)} IN ACCESS EXCLUSIVE MODE; END `)}`;
}

/**
 * An interval history column created with its source column's fields (`interval year to month`, before they counted as
 * a size limit) kept cutting values to them after the source column was widened: it becomes a plain interval. In
 * place: values fit, and PostgreSQL only changes the column's type modifier.
 */
function widenInterval(history: string, column: TrackedColumn): string {
  return `DO ${dollarQuote(` BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass(${quoteLiteral(history)}) AND attname = ${quoteLiteral(column.name)} AND NOT attisdropped AND atttypmod <> -1) THEN
    ALTER TABLE ${history} ALTER COLUMN ${quoteIdent(column.name)} TYPE ${column.type};
  END IF;
END `)}`;
}

/** Statements that remove a table's capture triggers, also under their earlier names (history tables are kept). */
export function buildDropCaptureDdl(spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string[] {
  const source = qualified(spec.schema, spec.table);
  return ANY_CAPTURE_TRIGGER_NAMES.map((name) => `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`);
}
