import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { TrackedColumn, TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { unboundedType } from '../ddl/unbounded-type.js';
import { catalogColumns } from './catalog-columns.js';

export interface MismatchedType {
  name: string;
  /** The type the spec (the entity) declares. */
  declared: string;
  /** The column's type in the table, as history would record it (domains as their base type, enums as text). */
  actual: string;
  /** The declared type is (or is an array of) a domain with NOT NULL or CHECK constraints, refused as such. */
  constrainedDomain: boolean;
}

/** Where a spec's recorded columns disagree with its table as the catalog has it now. */
export interface TableColumnMismatch {
  /** Columns the spec records that the table does not have (renamed or dropped by a migration, say). */
  missing: string[];
  /** Columns whose table type history could not hold in the declared type without changing values. */
  retyped: MismatchedType[];
}

/**
 * Compares the columns history would record (every non-excluded column) with the existing table. A capture
 * installed for a missing column makes every write to the table fail; one installed for another type stores
 * each value cast to the declared type (numeric 9.75 as integer 10, timestamptz as timestamp). Types that hold
 * each other's values unchanged are not reported: text, varchar and char (and arrays of them; not name, which
 * cuts values at 63 bytes), a domain column declared as its base type or as a domain without constraints (a
 * history column of a domain's type applies its NOT NULL and CHECK constraints), an enum or a composite as text, and an integer
 * column declared as a wider integer or as numeric. (Not json and jsonb: the capture compares and converts each by
 * its own functions.)
 */
export async function tableColumnMismatch(client: pg.ClientBase, spec: TrackedTableSpec): Promise<TableColumnMismatch> {
  const present = await catalogColumns(client, qualified(spec.schema, spec.table));
  const names = new Set(present.map((c) => c.name));
  const recorded = spec.columns.filter((c) => !spec.exclude.includes(c.name));
  const missing = recorded.filter((c) => !names.has(c.name)).map((c) => c.name);
  const { rows } = await client.query<MismatchedType>(
    `WITH RECURSIVE columns (side, name, declared, type) AS (
       SELECT 'declared', name, declared, to_regtype(type) FROM jsonb_to_recordset($1::jsonb) AS d(name text, type text, declared text)
       UNION ALL
       -- where catalogColumns() gives text, the table's own type: it gives a composite as text, as history records it, and
       -- a declared composite is still its own (a history column of another composite, or one fed a text column, would not
       -- take the values)
       SELECT 'actual', t.name, t.declared, CASE WHEN to_regtype(t.type) IN ('text'::regtype, 'text[]'::regtype) THEN coalesce(a.atttypid::regtype, to_regtype(t.type))
         ELSE to_regtype(t.type) END
       FROM jsonb_to_recordset($2::jsonb) AS t(name text, type text, declared text)
       LEFT JOIN pg_attribute a ON a.attrelid = to_regclass($3) AND a.attname = t.name AND a.attnum > 0 AND NOT a.attisdropped
     ),
     -- a domain as its base type, an array as its element type (remembered), as history records them
     resolved (side, name, type, in_array, depth) AS (
       SELECT side, name, type, false, 0 FROM columns WHERE type IS NOT NULL
       UNION ALL
       SELECT r.side, r.name, CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END, r.in_array OR t.typtype <> 'd', r.depth + 1
       FROM resolved r JOIN pg_type t ON t.oid = r.type
       WHERE r.depth < 32 AND (t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0))
     ),
     base AS (
       SELECT DISTINCT ON (r.side, r.name) r.side, r.name, r.in_array,
         CASE WHEN t.typtype = 'e' THEN 'text' ELSE t.typname::text END AS typname,
         CASE WHEN t.typtype = 'e' THEN 'S' ELSE t.typcategory::text END AS category
       FROM resolved r JOIN pg_type t ON t.oid = r.type
       ORDER BY r.side, r.name, r.depth DESC
     ),
     -- a declared domain becomes the history column's type: one with constraints (NOT NULL, CHECK) applies them to
     -- values history writes, which need not pass (the table's side is resolved to its base type above)
     constrained AS (
       SELECT DISTINCT rd.name FROM resolved rd JOIN pg_type t ON t.oid = rd.type
       WHERE rd.side = 'declared' AND t.typtype = 'd' AND (t.typnotnull OR EXISTS (SELECT FROM pg_constraint k WHERE k.contypid = t.oid))
     )
     SELECT d.name, c.declared, ca.declared AS actual, k.name IS NOT NULL AS "constrainedDomain"
     FROM base d JOIN base a ON a.name = d.name AND a.side = 'actual'
     JOIN columns c ON c.side = 'declared' AND c.name = d.name
     JOIN columns ca ON ca.side = 'actual' AND ca.name = a.name
     LEFT JOIN constrained k ON k.name = d.name
     WHERE d.side = 'declared'
       AND (k.name IS NOT NULL OR NOT (d.in_array = a.in_array AND (
         d.typname = a.typname
         -- a composite declared text, as install --table records it: history holds its text
         OR (a.category = 'C' AND d.typname = 'text')
         -- not into name, which cuts a value at 63 bytes
         OR (d.category = 'S' AND a.category = 'S' AND (d.typname <> 'name' OR a.typname = 'name'))
         OR (a.typname = 'int2' AND d.typname IN ('int4', 'int8', 'numeric'))
         OR (a.typname = 'int4' AND d.typname IN ('int8', 'numeric'))
         OR (a.typname = 'int8' AND d.typname = 'numeric'))))
     ORDER BY d.name`,
    // compared as history types (without size limits: a snapshot column holds any length, precision or scale)
    [JSON.stringify(recorded.map(asHistoryType)), JSON.stringify(present.map(asHistoryType)), qualified(spec.schema, spec.table)],
  );
  return { missing, retyped: rows };
}

const asHistoryType = (c: TrackedColumn) => ({ name: c.name, type: unboundedType(c.type), declared: c.type });

export const hasColumnMismatch = (m: TableColumnMismatch): boolean => m.missing.length + m.retyped.length > 0;

/** "column nickname is not in the table; qty is numeric in the table but declared integer" */
export function describeColumnMismatch(m: TableColumnMismatch): string {
  return [
    ...(m.missing.length ? [`${m.missing.length === 1 ? 'column' : 'columns'} ${m.missing.join(', ')} ${m.missing.length === 1 ? 'is' : 'are'} not in the table`] : []),
    ...m.retyped.map((r) => r.constrainedDomain
      ? `${r.name} is declared ${r.declared}, a domain whose constraints history would apply to what it records (declare ${r.actual})`
      : `${r.name} is ${r.actual} in the table but declared ${r.declared}`),
  ].join('; ');
}
