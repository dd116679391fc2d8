import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { snapshotColumns, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';

export interface RetypedColumn {
  name: string;
  /** Type of the column in the snapshot table now. */
  from: string;
  /** Type the entity declares. */
  to: string;
}

/** How a tracked entity differs from what its snapshot table was installed for. */
export interface HistoryDrift {
  added: string[];
  dropped: string[];
  retyped: RetypedColumn[];
}

export const hasDrift = (d: HistoryDrift | null): boolean => !!d && d.added.length + d.dropped.length + d.retyped.length > 0;

/** "+added, -dropped, name from -> to": a drift as status prints it. */
export const driftText = (d: HistoryDrift): string => [
  ...d.added.map((c) => `+${c}`),
  ...d.dropped.map((c) => `-${c}`),
  ...d.retyped.map((c) => `${c.name} ${c.from} -> ${c.to}`),
].join(', ');

/**
 * Snapshot columns whose type in the snapshot table differs from the entity's
 * (compared by type oid, so "timestamptz" and "timestamp with time zone" agree).
 */
export async function retypedColumns(client: pg.ClientBase, snapshot: string, columns: TrackedColumn[]): Promise<RetypedColumn[]> {
  const { rows } = await client.query<RetypedColumn>(
    `SELECT c.name, format_type(a.atttypid, a.atttypmod) AS "from", c.type AS "to"
     FROM jsonb_to_recordset($2::jsonb) AS c(name text, type text)
     JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped
     WHERE to_regtype(c.type) IS NOT NULL AND a.atttypid IS DISTINCT FROM to_regtype(c.type)::oid`,
    [snapshot, JSON.stringify(columns)],
  );
  return rows;
}

/** Drift of one tracked table against the registry and its snapshot table; null when it was never installed. */
export async function historyDrift(client: pg.ClientBase, spec: TrackedTableSpec, options: RowtrailSchemaOptions): Promise<HistoryDrift | null> {
  const { rows } = await client.query<{ columns: TrackedColumn[] }>(
    `SELECT columns FROM ${quoteIdent(options.schema)}.tracked_table WHERE table_name = $1`, [`${spec.schema}.${spec.table}`],
  );
  if (!rows[0]) return null;
  const wanted = snapshotColumns(spec);
  const installed = new Set(rows[0].columns.map((c) => c.name));
  const names = new Set(wanted.map((c) => c.name));
  const snapshot = qualified(options.schema, options.snapshotTableName(spec));
  return {
    added: wanted.filter((c) => !installed.has(c.name)).map((c) => c.name),
    dropped: [...installed].filter((name) => !names.has(name)),
    retyped: await retypedColumns(client, snapshot, wanted),
  };
}
