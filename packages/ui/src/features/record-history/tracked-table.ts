import type { TrackedTable } from '../../api/types';

/** The tracked table a record link names: "schema.table", or "table" for public, as the API resolves it. */
export const trackedTableNamed = (tables: TrackedTable[], table: string): TrackedTable | undefined =>
  tables.find((t) => t.table === table) ?? (table.includes('.') ? undefined : tables.find((t) => t.table === `public.${table}`));
