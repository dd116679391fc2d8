import { qualified, quoteIdent, quoteLiteral } from './quote.js';
import type { TrackedTableSpec } from './tracked-table-spec.js';

/**
 * The statement that records in the registry which columns of a tracked table its history leaves out (neither
 * recorded nor excluded: columns no entity maps), read from the catalog when it runs (sql/000013). Install and
 * generated migrations run it after writing the table's registry row.
 */
export function recordUnrecordedColumnsSql(rowtrailSchema: string, spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string {
  return `SELECT ${quoteIdent(rowtrailSchema)}.record_unrecorded_columns(${quoteLiteral(`${spec.schema}.${spec.table}`)}, ${quoteLiteral(qualified(spec.schema, spec.table))})`;
}
