import { findTable, useTrackedTables } from './table-columns';

/**
 * What a null in a column's recorded value is. Versions and diffs are JSON, in which a SQL NULL and a json/jsonb
 * column holding the JSON value `null` are both `null`: the API cannot tell them apart for a whole value (`either`).
 * Inside a json/jsonb value a null can only be JSON's (`json`). Any other column's null is a SQL NULL (`sql`), also
 * inside an array or a composite value.
 */
export type NullMeaning = 'sql' | 'json' | 'either';

export interface ColumnNulls {
  /** A null as the column's whole value. */
  whole: NullMeaning;
  /** A null inside the column's (structured) value. */
  inside: NullMeaning;
}

const SQL_NULLS: ColumnNulls = { whole: 'sql', inside: 'sql' };
const JSON_NULLS: ColumnNulls = { whole: 'either', inside: 'json' };

/** From the column's type as GET /api/tables lists it; an unknown type (a column dropped since) counts as not JSON. */
export function columnNulls(type: string | undefined): ColumnNulls {
  return type && ['json', 'jsonb'].includes(type.trim().toLowerCase()) ? JSON_NULLS : SQL_NULLS;
}

/** The nulls of each column of a tracked table, from the tracked tables' list (shared with the other screens' cache). */
export function useColumnNulls(table: string | undefined): (column: string) => ColumnNulls {
  // a record page's link may name the table without its schema (`product` for `public.product`)
  const columns = findTable(useTrackedTables(table !== undefined), table)?.columns ?? [];
  return (column) => columnNulls(columns.find((c) => c.name === column)?.type);
}
