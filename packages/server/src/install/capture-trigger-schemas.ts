import type pg from 'pg';
import { ANY_CAPTURE_TRIGGER_NAMES, CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';

export interface CaptureTrigger {
  name: string;
  /** Schema of the function the trigger runs. */
  schema: string;
  /** Named as the current capture names it (not one of LEGACY_CAPTURE_TRIGGER_NAMES). */
  current: boolean;
}

const CURRENT: readonly string[] = Object.values(CAPTURE_TRIGGER_NAMES);

/**
 * The capture triggers of a table, under their current and earlier names, with the schema of the function each runs.
 * Capture triggers have fixed names, so a schema other than an installation's own means another Rowtrail
 * installation captures the table. `table` is a qualified, quoted name.
 */
export async function captureTriggers(client: pg.ClientBase, table: string): Promise<CaptureTrigger[]> {
  const { rows } = await client.query<{ name: string; schema: string }>(
    `SELECT t.tgname AS name, n.nspname AS schema FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND t.tgname = ANY($2::text[])`,
    [table, ANY_CAPTURE_TRIGGER_NAMES],
  );
  return rows.map((r) => ({ ...r, current: CURRENT.includes(r.name) }));
}

/** The schemas other than `own` among the triggers' function schemas, each once, sorted. */
export const otherSchemas = (triggers: CaptureTrigger[], own: string): string[] => [...new Set(triggers.map((t) => t.schema).filter((s) => s !== own))].sort();
