import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import { requireTable, type RegisteredTable } from '../query/tracked-table-registry.js';
import type { ExportSelection } from './export-format.js';

/**
 * The relations an export reads: the event view, the context table, the diffs written before core version 5, and
 * the history tables of its selection (a record's table, a filter's tables, else every tracked table).
 */
export function exportReadRelations(schema: string, registry: Map<string, RegisteredTable>, selection: ExportSelection): string[] {
  const tables = selection.kind === 'record' ? [requireTable(registry, selection.table)]
    : selection.kind === 'filter' && (selection.filter.tables?.length ?? 0) > 0 ? selection.filter.tables!.map((t) => requireTable(registry, t, 'tables'))
    : [...registry.values()];
  return [...['event', 'context', 'diff'].map((name) => qualified(schema, name)), ...tables.map((t) => qualified(schema, t.snapshotTable))];
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
 * does not exist (rowtrail.diff of a database installed after version 5 dropped it) counts as readable.
 */
export async function requireReadable(client: pg.ClientBase, relations: string[]): Promise<void> {
  const { rows } = await client.query<{ denied: string[] | null }>(
    `SELECT array_agg(name ORDER BY position) AS denied FROM unnest($1::text[]) WITH ORDINALITY AS r(name, position)
     WHERE NOT coalesce(has_table_privilege(to_regclass(name), 'SELECT'), true)`, [relations]);
  if (rows[0].denied) throw new ExportPermissionError(rows[0].denied);
}
