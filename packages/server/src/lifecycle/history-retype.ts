import type pg from 'pg';
import { lockTrackedTable } from '../ddl/capture-ddl.js';
import { dollarQuote } from '../ddl/dollar-quote.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { retypeArchiveName } from '../ddl/retype-archive-name.js';
import { snapshotColumns, type RowtrailSchemaOptions, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { TEXT_FORM } from '../install/catalog-columns.js';
import { retypedColumns } from './history-drift.js';

/** A retyped snapshot column and the names its old and (for a migration's down) new values are kept under. */
export interface HistoryRetype {
  name: string;
  /** Type of the column in the snapshot table now, and the type the entity declares. */
  from: string;
  to: string;
  /** "<name>__<old type>": where up keeps the old values. */
  archive: string;
  /** "<name>__<new type>": where down keeps the values written in the new type, so the old column can have its name back. */
  newArchive: string;
}

/** The snapshot table of a spec and its columns whose type the entity changed, with free names for both renames. */
export async function plannedRetypes(client: pg.ClientBase, spec: TrackedTableSpec, options: RowtrailSchemaOptions): Promise<{ snapshot: string; retypes: HistoryRetype[] }> {
  const snapshot = qualified(options.schema, options.snapshotTableName(spec));
  const retyped = await retypedColumns(client, snapshot, snapshotColumns(spec));
  if (retyped.length === 0) return { snapshot, retypes: [] };
  const { rows } = await client.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, [snapshot],
  );
  const taken = new Set(rows.map((r) => r.attname));
  const current = new Set(snapshotColumns(spec).map((c) => c.name));
  const freeName = (column: string, type: string) => {
    let name = retypeArchiveName(column, type, 1);
    for (let n = 2; taken.has(name); n++) name = retypeArchiveName(column, type, n);
    taken.add(name);
    return name;
  };
  const retypes: HistoryRetype[] = [];
  for (const c of retyped) {
    const archive = freeName(c.name, c.from);
    // named after the type as the registry reads an archive's (format_type: bigint, however the entity spells it)
    const to = (await client.query<{ t: string }>(`SELECT format_type(to_regtype($1), -1) AS t`, [c.to])).rows[0].t;
    // a down of an earlier retype left the values written in the new type here: up takes them back (named after the
    // declared spelling before)
    let leftover: string | undefined;
    for (const name of new Set([retypeArchiveName(c.name, to, 1), retypeArchiveName(c.name, c.to, 1)])) {
      if (!current.has(name) && await hasColumnOfType(client, snapshot, name, c.to)) { leftover = name; break; }
    }
    retypes.push({ ...c, archive, newArchive: leftover ?? freeName(c.name, to) });
  }
  return { snapshot, retypes };
}

async function hasColumnOfType(client: pg.ClientBase, table: string, column: string, type: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped AND atttypid = to_regtype($3)::oid`,
    [table, column, type],
  );
  return rows.length > 0;
}

/**
 * Statements that make room for retyped columns while keeping old history
 * readable: the old column is renamed "<name>__<old type>" (with a numeric
 * suffix if taken) and keeps its values; the capture DDL then adds the column
 * with its new type, unless a down of the same retype kept the values written
 * in the new type as "<name>__<new type>": that column gets its name back. Added columns are added nullable by the capture DDL;
 * dropped columns stay in the snapshot table with their history.
 */
export function renameRetypedStatements(snapshot: string, retypes: HistoryRetype[]): string[] {
  // guarded, so a migration that runs again (after its down) does not rename twice
  const attribute = `attrelid = to_regclass(${quoteLiteral(snapshot)}) AND attname = %s AND NOT attisdropped`;
  return retypes.map((c) => `DO ${dollarQuote(` BEGIN
  IF ${enumToText(c) ? `EXISTS (${textFormIs(attribute.replace('%s', quoteLiteral(c.name)), c.to)})` : 'false'} THEN
    -- an enum, composite or extension's string column now recorded as text (as TypeORM entities record enums, and install
    -- --table all of them): its values as text, in place, so the history table does not keep the type alive (an enum change
    -- drops and recreates the type), nor change with it (ALTER TYPE … DROP ATTRIBUTE would rewrite every past snapshot)
    ALTER TABLE ${snapshot} ALTER COLUMN ${quoteIdent(c.name)} TYPE ${c.to} USING ${quoteIdent(c.name)}::${c.to};
  ELSIF EXISTS (${domainBaseIs(attribute.replace('%s', quoteLiteral(c.name)), c.to)}) THEN
    -- a domain column (or an array of one) now recorded as its base type (as install --table records domains): in place,
    -- so history neither keeps the domain's NOT NULL or CHECK (a dropped column's later rows are NULL) nor the domain alive
    ALTER TABLE ${snapshot} ALTER COLUMN ${quoteIdent(c.name)} TYPE ${c.to} USING ${quoteIdent(c.name)}::${c.to};
  ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE ${attribute.replace('%s', quoteLiteral(c.name))}
             AND to_regtype(${quoteLiteral(c.to)}) IS NOT NULL AND atttypid IS DISTINCT FROM to_regtype(${quoteLiteral(c.to)})::oid) THEN
    ALTER TABLE ${snapshot} RENAME COLUMN ${quoteIdent(c.name)} TO ${quoteIdent(c.archive)};
    -- up again after its down: the values written in the new type get their name back
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE ${attribute.replace('%s', quoteLiteral(c.newArchive))}
               AND atttypid = to_regtype(${quoteLiteral(c.to)})::oid) THEN
      ALTER TABLE ${snapshot} RENAME COLUMN ${quoteIdent(c.newArchive)} TO ${quoteIdent(c.name)};
    END IF;
  END IF;
END `)}`);
}

/**
 * A query that finds a row when the column the attribute condition names has a domain type (or an array of one) whose
 * base type, through domains of domains, is `to` (or is an enum, and `to` text): the column's values fit `to` as they are.
 */
function domainBaseIs(attribute: string, to: string): string {
  const target = `to_regtype(${quoteLiteral(to)})`;
  return `WITH RECURSIVE d (type, in_array, depth) AS (
          SELECT atttypid, false, 0 FROM pg_attribute WHERE ${attribute}
          UNION ALL
          SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END, d.in_array OR t.typtype <> 'd', d.depth + 1
          FROM d JOIN pg_type t ON t.oid = d.type
          WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND EXISTS (SELECT FROM pg_type e WHERE e.oid = t.typelem AND e.typtype = 'd')))
        SELECT FROM d JOIN pg_type t ON t.oid = d.type
        WHERE d.depth > 0 AND (CASE WHEN d.in_array THEN t.typarray ELSE t.oid END = ${target}
          OR (t.typtype = 'e' AND ${target} = CASE WHEN d.in_array THEN 'text[]'::regtype ELSE 'text'::regtype END))`;
}

/**
 * A query that finds a row when the column the attribute condition names has a type history now records as `to`,
 * text or text[] (TEXT_FORM: an enum, a composite, an extension's string type), through domains and arrays: the column's
 * values cast to `to` are the values history would have written.
 */
function textFormIs(attribute: string, to: string): string {
  return `WITH RECURSIVE d (type, in_array, depth) AS (
          SELECT atttypid, false, 0 FROM pg_attribute WHERE ${attribute}
          UNION ALL
          SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END, d.in_array OR t.typtype <> 'd', d.depth + 1
          FROM d JOIN pg_type t ON t.oid = d.type
          WHERE d.depth < 32 AND (t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0)))
        SELECT FROM d JOIN pg_type t ON t.oid = d.type
        WHERE ${TEXT_FORM('t')} AND d.in_array = ${to === 'text[]' ? 'true' : 'false'}`;
}

/** A retype to text or text[], which an enum, composite or extension's string column (or an array of one) is retyped to in place. */
const enumToText = (c: HistoryRetype) => c.to === 'text' || c.to === 'text[]';

/**
 * A migration's down for renameRetypedStatements: the capture functions it restores write the old
 * type into "<name>", so the old column gets its name back, and the column up added (with the
 * history written in the new type) is kept as "<name>__<new type>". Guarded: only when the table is
 * as up left it (the new-type column under the name, the old values under their archive name).
 */
export function restoreRetypedStatements(snapshot: string, retypes: HistoryRetype[]): string[] {
  const column = (name: string, type: string) => `EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${quoteLiteral(snapshot)})
             AND attname = ${quoteLiteral(name)} AND NOT attisdropped AND atttypid = to_regtype(${quoteLiteral(type)})::oid)`;
  return retypes.map((c) => `DO ${dollarQuote(` BEGIN
  IF ${column(c.name, c.to)} AND ${column(c.archive, c.from)} THEN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${quoteLiteral(snapshot)}) AND attname = ${quoteLiteral(c.newArchive)} AND NOT attisdropped) THEN
      RAISE EXCEPTION 'Rowtrail: cannot give column "%" of % its type % back: column "%" (for its % values) already exists', ${quoteLiteral(c.name)}, ${quoteLiteral(snapshot)}, ${quoteLiteral(c.from)}, ${quoteLiteral(c.newArchive)}, ${quoteLiteral(c.to)};
    END IF;
    ALTER TABLE ${snapshot} RENAME COLUMN ${quoteIdent(c.name)} TO ${quoteIdent(c.newArchive)};
    ALTER TABLE ${snapshot} RENAME COLUMN ${quoteIdent(c.archive)} TO ${quoteIdent(c.name)};
  END IF;
END `)}`);
}

/** Applies the renames of retyped columns (used by install before the capture DDL). */
export async function reconcileRetypedColumns(client: pg.ClientBase, spec: TrackedTableSpec, options: RowtrailSchemaOptions): Promise<void> {
  const { snapshot, retypes } = await plannedRetypes(client, spec, options);
  if (retypes.length === 0) return;
  await client.query(lockTrackedTable(spec)); // the tracked table before its history table, as writes lock them
  for (const statement of renameRetypedStatements(snapshot, retypes)) await client.query(statement);
}
