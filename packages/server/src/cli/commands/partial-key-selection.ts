import type pg from 'pg';
import type { ExportSelection } from '../../export/export-format.js';
import { loadRegistry, requireTable } from '../../query/tracked-table-registry.js';

/**
 * `--key` naming some of a composite key's columns (`{"article_id":5}` of a join table) selects every record whose key
 * has those values, which only a filter holds: such a selection is exported as a filter on them, as the HTTP API's
 * `recordKey` is. The whole key stays one record's export; a key naming other columns is left to the export to refuse.
 */
export async function partialKeyAsFilter(pool: pg.Pool, schema: string, selection: ExportSelection): Promise<ExportSelection> {
  if (selection.kind !== 'record' || selection.key === null || typeof selection.key !== 'object' || Array.isArray(selection.key)) return selection;
  const registry = await loadRegistry(pool, { schema }, [selection.table]);
  const table = requireTable(registry, selection.table);
  const named = Object.keys(selection.key);
  const partial = named.length > 0 && named.length < table.primaryKey.length && named.every((name) => table.primaryKey.includes(name));
  return partial ? { kind: 'filter', filter: { tables: [selection.table], recordKey: selection.key } } : selection;
}
