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
  /** The statement that defines it again (CREATE OR REPLACE). */
  statement: string;
}

// Every function of the core files is written `CREATE [OR REPLACE] FUNCTION :ROWTRAIL_SCHEMA.name(…) … AS $$…$$;`.
const DEFINITION = /CREATE (?:OR REPLACE )?FUNCTION :ROWTRAIL_SCHEMA\.(\w+)\(([^)]*)\)[\s\S]*?AS \$\$([\s\S]*?)\$\$;/g;

/** The core files recorded as applied (id → hash) whose text is still the one applied: their functions are what the database should have. */
export function appliedAsWritten(migrations: readonly SqlMigration[], recorded: ReadonlyMap<number, string>): SqlMigration[] {
  return migrations.filter((m) => recorded.get(m.id) === m.hash);
}

/** The functions the given core files define, each by its last definition. Pure. */
export function coreFunctions(schema: string, migrations: readonly SqlMigration[]): CoreFunction[] {
  const byName = new Map<string, CoreFunction>();
  for (const migration of migrations) {
    const file = `sql/${String(migration.id).padStart(6, '0')}_${migration.name}.sql`;
    for (const match of migration.source.matchAll(DEFINITION)) {
      const [statement, name, args, body] = match;
      byName.set(name, {
        signature: `${qualified(schema, name)}(${args.replace(/\s+/g, ' ').trim()})`,
        name, file,
        body: renderSql(body, schema),
        statement: renderSql(statement.replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION'), schema),
      });
    }
  }
  return [...byName.values()];
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

/**
 * Core functions whose body in the database is not the one their file wrote: replaced by hand
 * (`CREATE OR REPLACE FUNCTION rowtrail.protect() … RETURN NEW` turns every protection off). The
 * installer never runs an applied file again, so only this comparison can tell.
 */
export async function changedCoreFunctions(client: pg.ClientBase, schema: string, applied: readonly SqlMigration[]): Promise<CoreFunction[]> {
  const functions = coreFunctions(schema, applied);
  if (functions.length === 0) return [];
  const { rows } = await client.query<{ name: string; body: string }>(
    `SELECT p.proname AS name, p.prosrc AS body FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 AND p.proname = ANY($2::text[])`,
    [schema, functions.map((f) => f.name)],
  );
  const installed = new Map(rows.map((r) => [r.name, r.body]));
  // absent functions are left to the core migrations' own state (a dropped one is not "changed")
  return functions.filter((f) => installed.has(f.name) && installed.get(f.name) !== f.body);
}
