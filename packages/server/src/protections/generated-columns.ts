import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { ProtectedTableSpec } from './protection-spec.js';

export interface GeneratedColumn {
  name: string;
  /** As format_type() writes it. */
  type: string;
  /** Virtual (PostgreSQL 18 on, computed when read) rather than stored. */
  virtual: boolean;
}

/** A protected table's generated columns, by "schema.table" (tables without any are absent). */
export type GeneratedColumns = Map<string, GeneratedColumn[]>;

export const tableKey = (spec: Pick<ProtectedTableSpec, 'schema' | 'table'>): string => `${spec.schema}.${spec.table}`;

/**
 * The generated columns (GENERATED ALWAYS AS …, stored or virtual; not identity columns) of every table whose
 * protections watch fields (read-only, FSM, versioned), read from the catalog in one query. Install, status and
 * generated migrations read them once and use them twice: to refuse a protection on one (refuseGeneratedFields) and
 * to mark a versioned spec's columns (withGeneratedColumns).
 */
export async function readGeneratedColumns(client: pg.ClientBase, specs: ProtectedTableSpec[]): Promise<GeneratedColumns> {
  const watching = specs.filter((spec) => spec.protections.some((p) => p.kind === 'read_only' || p.kind === 'fsm' || p.kind === 'versioned'));
  const generated: GeneratedColumns = new Map();
  if (watching.length === 0) return generated;
  const { rows } = await client.query<GeneratedColumn & { table_index: string }>(
    `SELECT t.table_index, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attgenerated = 'v' AS virtual
     FROM unnest($1::text[]) WITH ORDINALITY AS t(table_name, table_index)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = to_regclass(t.table_name)
     WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> ''
     ORDER BY t.table_index, a.attnum`,
    [watching.map((spec) => qualified(spec.schema, spec.table))],
  );
  for (const { table_index: index, ...column } of rows) {
    const key = tableKey(watching[Number(index) - 1]);
    generated.set(key, [...(generated.get(key) ?? []), column]);
  }
  return generated;
}
