import { useQuery } from '@tanstack/react-query';
import { tablesQuery } from '../api/get-tables';
import type { TrackedTable } from '../api/types';
import { formatKey, shortTable } from '../lib/format';

/** The tracked table named `table` (a record page's link may name it without its schema: `product` for `public.product`). */
export function findTable(tables: TrackedTable[] | undefined, table: string | undefined): TrackedTable | undefined {
  return table === undefined ? undefined : tables?.find((t) => t.table === table || shortTable(t.table) === table);
}

/**
 * The tracked tables' list (GET /api/tables, shared with the other screens' cache), for column order and types.
 * Until it is loaded (or for a table it does not list) a row keeps its own order.
 */
export function useTrackedTables(enabled = true): TrackedTable[] | undefined {
  return useQuery({ ...tablesQuery(), enabled }).data?.tables;
}

/** The table's column names in its order (its primary key's for `key`); empty when the table is not listed. */
export function useColumnOrder(table: string | undefined): { columns: string[]; key: string[] } {
  const found = findTable(useTrackedTables(table !== undefined), table);
  return { columns: found?.columns.map((c) => c.name) ?? [], key: found?.primaryKey ?? [] };
}

/** A record key as the page shows it (`region eu, code 1`), its parts in the order of the table's primary key. */
export function useKeyLabel(): (table: string, key: Record<string, unknown>) => string {
  const tables = useTrackedTables();
  return (table, key) => formatKey(key, findTable(tables, table)?.primaryKey);
}
