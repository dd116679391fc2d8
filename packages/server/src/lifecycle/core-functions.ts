import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import { renderSql, type SqlMigration } from '../install/sql-files.js';

/** A function the core SQL files define, as the last applied file defines it. */
export interface CoreFunction {
  /** "schema"."name"(argument types as written in the file), for messages. */
  signature: string;
  name: string;
  /** sql/NNNNNN_name.sql that defines it last. */
  file: string;
  /** Its body as that file writes it (pg_proc.prosrc keeps it verbatim). */
  body: string;
  /** The settings it runs with (`SET search_path = …` of its definition, or of a later ALTER FUNCTION), by name. */
  settings: ReadonlyMap<string, string>;
  /** sql/NNNNNN_name.sql that gave it those settings last (its definition's file, or a later file's ALTER FUNCTION). */
  settingsFile: string;
  /** What its definition declares of it besides the body (pg_proc's provolatile, proisstrict, prosecdef). */
  attributes: FunctionAttributes;
  /** The statement that defines it again (CREATE OR REPLACE), with those settings. */
  statement: string;
}

// Every function of the core files is written `CREATE [OR REPLACE] FUNCTION :ROWTRAIL_SCHEMA.name(…) … AS $$…$$;`,
// its settings, if any, as SET clauses before AS or in a later `ALTER FUNCTION :ROWTRAIL_SCHEMA.name(…) SET …;`.
const DEFINITION = /CREATE (?:OR REPLACE )?FUNCTION :ROWTRAIL_SCHEMA\.(\w+)\(([^)]*)\)([\s\S]*?)AS \$\$([\s\S]*?)\$\$;/g;
const ALTER_SET = /ALTER FUNCTION :ROWTRAIL_SCHEMA\.(\w+)\([^)]*\) SET (\w+) = ([^;]+);/g;
const SET_CLAUSE = /\sSET (\w+) = (.+?)(?=\sSET\s|\s*$)/g;

/**
 * The core files recorded as applied (id → hash) whose text is still the one applied: their functions are what the
 * database should have. None when the database records a core file this release does not have: a later release
 * installed it, whose files may define any function anew, and restoring this release's definitions would undo them.
 */
export function appliedAsWritten(migrations: readonly SqlMigration[], recorded: ReadonlyMap<number, string>): SqlMigration[] {
  if ([...recorded.keys()].some((id) => !migrations.some((m) => m.id === id))) return [];
  return migrations.filter((m) => recorded.get(m.id) === m.hash);
}

/** The functions the given core files define, each by its last definition (and the settings later files gave it). Pure. */
export function coreFunctions(schema: string, migrations: readonly SqlMigration[]): CoreFunction[] {
  const byName = new Map<string, { signature: string; name: string; file: string; args: string; head: string; body: string; settings: Map<string, string>; settingsFile: string }>();
  for (const migration of migrations) {
    const file = `sql/${String(migration.id).padStart(6, '0')}_${migration.name}.sql`;
    for (const [, name, args, headWithSettings, body] of migration.source.matchAll(DEFINITION)) {
      // CREATE OR REPLACE replaces the settings too: those of this definition only
      const settings = new Map([...headWithSettings.matchAll(SET_CLAUSE)].map(([, key, value]) => [key.toLowerCase(), value.trim()]));
      const head = headWithSettings.replace(SET_CLAUSE, '').trimEnd();
      byName.set(name, { signature: `${qualified(schema, name)}(${args.replace(/\s+/g, ' ').trim()})`, name, file, args, head, body, settings, settingsFile: file });
    }
    for (const [, name, key, value] of migration.source.matchAll(ALTER_SET)) {
      const defined = byName.get(name);
      if (!defined) continue;
      defined.settings.set(key.toLowerCase(), value.trim());
      defined.settingsFile = file;
    }
  }
  return [...byName.values()].map(({ signature, name, file, args, head, body, settings, settingsFile }) => {
    const attributes = declaredAttributes(head);
    const clauses = [...settings].map(([key, value]) => ` SET ${key} = ${value}`).join('');
    const statement = `CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.${name}(${args})${head}${clauses} AS $$${body}$$;`;
    return { signature, name, file, body: renderSql(body, schema), settings, settingsFile, attributes, statement: renderSql(statement, schema) };
  });
}

/** A function's volatility (pg_proc.provolatile: i, s or v), strictness and whether it runs as its owner. */
export interface FunctionAttributes {
  volatility: string;
  strict: boolean;
  securityDefiner: boolean;
}

/** The attributes a definition's header (its text between the arguments and AS, SET clauses taken out) declares, with PostgreSQL's defaults. */
function declaredAttributes(head: string): FunctionAttributes {
  return {
    volatility: /\bIMMUTABLE\b/i.test(head) ? 'i' : /\bSTABLE\b/i.test(head) ? 's' : 'v',
    strict: /\b(STRICT|RETURNS NULL ON NULL INPUT)\b/i.test(head),
    securityDefiner: /\bSECURITY\s+DEFINER\b/i.test(head),
  };
}

/** The attributes as CREATE FUNCTION writes them, for messages. */
export const attributesText = ({ volatility, strict, securityDefiner }: FunctionAttributes): string =>
  [{ i: 'IMMUTABLE', s: 'STABLE', v: 'VOLATILE' }[volatility] ?? volatility, ...(strict ? ['STRICT'] : []), ...(securityDefiner ? ['SECURITY DEFINER'] : [])].join(' ');

/** pg_proc.proconfig's entries ("search_path=pg_catalog, pg_temp") compared with settings as the files write them. */
function sameSettings(proconfig: readonly string[] | null, settings: ReadonlyMap<string, string>): boolean {
  const normal = (value: string) => value.replace(/['"\s]/g, '');
  const installed = new Map((proconfig ?? []).map((entry) => [entry.slice(0, entry.indexOf('=')).toLowerCase(), normal(entry.slice(entry.indexOf('=') + 1))]));
  return installed.size === settings.size && [...settings].every(([key, value]) => installed.get(key) === normal(value));
}

/**
 * Every function a core file defines, earlier definitions too (an installation may predate a later file that replaced
 * one), as regprocedure text: "schema"."name"(argument types). Pure.
 */
export function coreFunctionSignatures(schema: string, migrations: readonly SqlMigration[]): string[] {
  const signatures = new Set<string>();
  for (const migration of migrations) {
    for (const [, name, args] of migration.source.matchAll(DEFINITION)) {
      // "reason text" → text, "fields jsonb DEFAULT '[]'" → jsonb: the files name every argument but json_as_jsonb(json)'s,
      // and use one-word types
      const types = args.split(',').map((a) => a.replace(/\s(DEFAULT|=)\s[\s\S]*$/i, '').trim().split(/\s+/))
        .filter((t) => t[0] !== '').map((t) => t[t.length - 1]);
      signatures.add(`${qualified(schema, name)}(${types.join(', ')})`);
    }
  }
  return [...signatures];
}

/** A core function the database holds otherwise than its files wrote it: its body, else its attributes, else its settings. */
export type ChangedCoreFunction = CoreFunction & { changed: 'body' | 'attributes' | 'settings' };

/**
 * Core functions whose body or settings in the database are not the ones their files wrote: replaced by hand
 * (`CREATE OR REPLACE FUNCTION rowtrail.protect() … RETURN NEW` turns every protection off). The
 * installer never runs an applied file again, so only this comparison can tell.
 */
export async function changedCoreFunctions(client: pg.ClientBase, schema: string, applied: readonly SqlMigration[]): Promise<ChangedCoreFunction[]> {
  const functions = coreFunctions(schema, applied);
  if (functions.length === 0) return [];
  const { rows } = await client.query<{ name: string; body: string; config: string[] | null } & FunctionAttributes>(
    `SELECT p.proname AS name, p.prosrc AS body, p.proconfig AS config, p.provolatile AS volatility, p.proisstrict AS strict,
            p.prosecdef AS "securityDefiner" FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 AND p.proname = ANY($2::text[])`,
    [schema, functions.map((f) => f.name)],
  );
  const installed = new Map(rows.map((r) => [r.name, r]));
  // absent functions are left to the core migrations' own state (a dropped one is not "changed"); a setting taken off
  // (ALTER FUNCTION … RESET search_path) changes a function as much as its body does
  return functions.flatMap((f): ChangedCoreFunction[] => {
    const found = installed.get(f.name);
    if (found === undefined) return [];
    if (found.body !== f.body) return [{ ...f, changed: 'body' }];
    // ALTER FUNCTION … IMMUTABLE would let PostgreSQL reuse one answer for a session (an ignore() stuck on or off)
    const { volatility, strict, securityDefiner } = f.attributes;
    if (found.volatility !== volatility || found.strict !== strict || found.securityDefiner !== securityDefiner) return [{ ...f, changed: 'attributes' }];
    return sameSettings(found.config, f.settings) ? [] : [{ ...f, changed: 'settings' }];
  });
}
