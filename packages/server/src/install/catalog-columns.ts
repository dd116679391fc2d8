import type pg from 'pg';
import type { TrackedColumn } from '../ddl/tracked-table-spec.js';

/**
 * A table's columns as the catalog has them, typed as history records them: an enum column (or an array
 * of one) as text, as the TypeORM adapter's snapshotColumnType() does (a history column of the enum's type
 * would keep the type alive, and the usual enum change, DROP TYPE …_old, would fail); anything else as
 * format_type() writes it (snapshotColumns() then drops size limits). `table` is a qualified, quoted name.
 */
export async function catalogColumns(db: pg.ClientBase | pg.Pool, table: string): Promise<TrackedColumn[]> {
  const { rows } = await db.query<TrackedColumn>(
    `SELECT a.attname AS name,
       CASE WHEN t.typtype = 'e' THEN 'text' WHEN e.typtype = 'e' THEN 'text[]' ELSE format_type(a.atttypid, a.atttypmod) END AS type
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  return rows;
}
