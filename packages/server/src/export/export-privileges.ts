import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import { requireTable, type RegisteredTable } from '../query/tracked-table-registry.js';
import type { ExportSelection } from './export-format.js';

/**
 * The relations an export reads itself: the event view (read with its owner's rights, which cover the history tables
 * behind it) and the context table; an export of tables and a time range reads the registry, the diffs written
 * before core version 5 and its tables' history tables directly (export-query.ts).
 */
export function exportReadRelations(schema: string, registry: Map<string, RegisteredTable>, selection: ExportSelection, readsHistoryTables: boolean): string[] {
  const own = ['event', 'context'].map((name) => qualified(schema, name));
  if (!readsHistoryTables) return own;
  const tables = selection.kind === 'filter' && (selection.filter.tables?.length ?? 0) > 0 ? selection.filter.tables!.map((t) => requireTable(registry, t, 'tables'))
    : [...registry.values()];
  return [...own, ...['tracked_table', 'diff'].map((name) => qualified(schema, name)), ...tables.map((t) => qualified(schema, t.snapshotTable))];
}

/** The role may not read a relation an export needs: PostgreSQL's SQLSTATE for it, with the relations named. */
export class ExportPermissionError extends Error {
  readonly code = '42501';
  constructor(readonly relations: string[]) {
    super(`Rowtrail: permission denied to export: this database role may not read ${relations.join(', ')} `
      + '(an export needs SELECT on them; see "Privileges" in docs/http-api.md)');
    this.name = 'ExportPermissionError';
  }
}

/**
 * Fails with ExportPermissionError when the connection's role lacks SELECT on any of the relations. Checked before an
 * export's header is written: PostgreSQL checks privileges only when the first query runs, after the header, so an
 * HTTP download answered 200 and then stopped after its header. has_table_privilege takes no lock; a relation that
 * does not exist (dropped since the registry was read) counts as readable: the export then fails as it would have.
 */
export async function requireReadable(client: Pick<pg.ClientBase, 'query'>, relations: string[]): Promise<void> {
  const { rows } = await client.query<{ denied: string[] | null }>(
    `SELECT array_agg(name ORDER BY position) AS denied FROM unnest($1::text[]) WITH ORDINALITY AS r(name, position)
     WHERE NOT coalesce(has_table_privilege(to_regclass(name), 'SELECT'), true)`, [relations]);
  if (rows[0].denied) throw new ExportPermissionError(rows[0].denied);
}
