import { dollarQuote } from './dollar-quote.js';
import { identifierName } from './identifier-name.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';
import { legacySnapshotTableName, type RowtrailSchemaOptions } from './tracked-table-spec.js';

/**
 * Before history table names were fitted to 63 bytes, PostgreSQL cut a longer one, and the capture's
 * indexes and functions were named after the uncut name. For such a table this returns a statement that
 * renames the table PostgreSQL kept (its history) and its indexes to today's names, and drops the old
 * capture functions with their triggers (the capture DDL creates both again), so an upgrade keeps the
 * history instead of starting an empty table beside it. Nothing when the name was never too long.
 */
export function adoptLegacyHistoryTable(
  options: RowtrailSchemaOptions, source: { schema: string; table: string }, snapshotTable: string,
  indexSuffixes: readonly string[], functionSuffixes: readonly string[],
): string[] {
  const legacy = legacySnapshotTableName(options, source);
  if (legacy === undefined) return [];
  const { cut, uncut } = legacy;
  const at = (name: string) => qualified(options.schema, name);
  const body = `
BEGIN
  IF to_regclass(${quoteLiteral(at(cut))}) IS NOT NULL AND to_regclass(${quoteLiteral(at(snapshotTable))}) IS NULL THEN
    ALTER TABLE ${at(cut)} RENAME TO ${quoteIdent(snapshotTable)};
${indexSuffixes.map((suffix) => `    ALTER INDEX IF EXISTS ${at(identifierName(uncut, suffix))} RENAME TO ${quoteIdent(identifierName(snapshotTable, suffix))};`).join('\n')}
${functionSuffixes.map((suffix) => `    DROP FUNCTION IF EXISTS ${at(identifierName(uncut, suffix))}() CASCADE;`).join('\n')}
  END IF;
END
`;
  return [`DO ${dollarQuote(body)}`];
}
