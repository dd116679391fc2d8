import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { TriggerGroupDdl } from './trigger-group.js';

/**
 * The columns a protection names as text (TriggerGroupDdl.fields) that its table does not have, in the order the
 * protection names them; none when the table itself does not exist (the protection's statements report that).
 * A RENAME COLUMN leaves a protection's WHEN clause right (PostgreSQL keeps it by column number) and its
 * arguments and function bodies naming the old column: every write the protection then handles would fail.
 */
export async function missingFields(client: pg.ClientBase, group: TriggerGroupDdl): Promise<string[]> {
  if (group.fields.length === 0) return [];
  const { rows } = await client.query<{ name: string }>(
    `SELECT f.name FROM unnest($2::text[]) WITH ORDINALITY AS f(name, ord)
     WHERE to_regclass($1) IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = to_regclass($1) AND a.attname = f.name AND a.attnum > 0 AND NOT a.attisdropped)
     ORDER BY f.ord`,
    [qualified(group.schema, group.table), group.fields],
  );
  return rows.map((r) => r.name);
}

/** Says that a protection names columns its table does not have, and what to do. */
export function missingFieldsMessage(group: Pick<TriggerGroupDdl, 'schema' | 'table' | 'name'>, missing: string[]): string {
  const columns = missing.map((c) => JSON.stringify(c)).join(', ');
  return `protection "${group.name}" on ${group.schema}.${group.table} names ${missing.length === 1 ? 'column' : 'columns'} ${columns}, `
    + `which the table does not have: name its columns by their database names (after a migration that renames or drops `
    + `one, declare the protection with the current names and install it again, in that migration)`;
}

/**
 * Refuses to install a protection that names columns its table does not have, before any of its statements run
 * (SQLSTATE 42703 on `code`, as PostgreSQL's undefined_column).
 */
export async function refuseMissingFields(client: pg.ClientBase, group: TriggerGroupDdl): Promise<void> {
  const missing = await missingFields(client, group);
  if (missing.length > 0) throw Object.assign(new Error(`Rowtrail: ${missingFieldsMessage(group, missing)}`), { code: '42703' });
}
