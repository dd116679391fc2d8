import { CAPTURE_FUNCTION_SUFFIXES, historyIndexSuffixes } from './capture-ddl.js';
import { dollarQuote } from './dollar-quote.js';
import { identifierName } from './identifier-name.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';

/** A tracked table renamed since its install: its registry row still names it as it was called then. */
export interface RenamedTable {
  /** "schema.table" the registry records (the table's name at its last install). */
  from: string;
  /** "schema.table" the table is called now. */
  to: string;
  /** Its history table now, and under the new name (the same when the snapshotTableName option keeps it). */
  fromHistory: string;
  toHistory: string;
  /** The key columns the registry records (they name the history table's key index). */
  primaryKey: string[];
}

export interface RenamedTableDdl {
  /** Moves the registry row, the history table and its indexes to the new names, as one statement. */
  adopt: string[];
  /** Run after the capture DDL has pointed the triggers at functions named after the new history table. */
  dropOldFunctions: string[];
  /** Moves them back (a generated migration's down, after it has restored the old capture). */
  undo: string[];
}

/**
 * The statements that let a renamed tracked table keep its history: the capture triggers moved with the table,
 * but the registry, the history table (named after the table by default) and the capture functions (named after
 * the history table) still carry the old name. The capture DDL for the new name then rewrites the functions.
 * Pure. The move happens only while the registry has a row of the old name and none of the new, so that running
 * the statements twice (a migration run again, say) finds nothing to move.
 */
export function renamedTableDdl(rowtrailSchema: string, renamed: RenamedTable): RenamedTableDdl {
  const s = quoteIdent(rowtrailSchema);
  const at = (name: string) => qualified(rowtrailSchema, name);
  const moveHistory = (from: string, to: string) => renamed.fromHistory === renamed.toHistory ? [] : [
    `ALTER TABLE ${at(from)} RENAME TO ${quoteIdent(to)}`,
    ...historyIndexSuffixes(renamed.primaryKey).map((suffix) =>
      `ALTER INDEX IF EXISTS ${at(identifierName(from, suffix))} RENAME TO ${quoteIdent(identifierName(to, suffix))}`),
  ];
  const move = (from: string, to: string, fromHistory: string, toHistory: string) => `DO ${dollarQuote(`
BEGIN
  IF EXISTS (SELECT FROM ${s}.tracked_table WHERE table_name = ${quoteLiteral(from)}) AND NOT EXISTS (SELECT FROM ${s}.tracked_table WHERE table_name = ${quoteLiteral(to)}) THEN
    UPDATE ${s}.tracked_table SET table_name = ${quoteLiteral(to)}, snapshot_table = ${quoteLiteral(toHistory)} WHERE table_name = ${quoteLiteral(from)};
${moveHistory(fromHistory, toHistory).map((statement) => `    ${statement};`).join('\n')}
  END IF;
END
`, 'rowtrail_rename')}`;
  return {
    adopt: [move(renamed.from, renamed.to, renamed.fromHistory, renamed.toHistory)],
    dropOldFunctions: renamed.fromHistory === renamed.toHistory ? [] : CAPTURE_FUNCTION_SUFFIXES.map((suffix) => `DROP FUNCTION IF EXISTS ${at(identifierName(renamed.fromHistory, suffix))}()`),
    undo: [move(renamed.to, renamed.from, renamed.toHistory, renamed.fromHistory)],
  };
}
