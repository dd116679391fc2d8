import { dollarQuote } from '../ddl/dollar-quote.js';
import { sha256 } from '../ddl/identifier-name.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { protectionElsewhereGuard } from './protection-elsewhere.js';

/** Prefix of the comment Rowtrail writes on the triggers and functions it generates. */
export const HASH_COMMENT_PREFIX = 'rowtrail:';

/**
 * The triggers (and generated functions) that implement one protection on one
 * table, with the statements that create them and a hash of those statements.
 * The hash is also written as the comment of each trigger and function, so
 * `status` can tell an installed definition from an outdated one.
 */
export interface TriggerGroupDdl {
  /** Schema and name of the table the triggers are on. */
  schema: string;
  table: string;
  /** Protection name ("append_only" for history tables). */
  name: string;
  /**
   * The protection's kind (`soft_delete`, …): status (and so install) checks what the table may have gained since the
   * install that the kind cannot handle (a foreign key ON DELETE CASCADE on a soft-deleted table).
   */
  kind?: string;
  /** Trigger names on the table. */
  triggers: string[];
  /** Generated functions, as "schema"."name"(). */
  functions: string[];
  /**
   * Columns the group's triggers and functions name as text (their arguments and bodies): unlike a WHEN clause,
   * which PostgreSQL keeps by column number, these do not follow a RENAME COLUMN. Status reports the group outdated,
   * and install refuses it, while the table lacks one (protections/missing-fields.ts).
   */
  fields: string[];
  /**
   * Triggers and functions this protection's name can have that its current
   * definition does not (e.g. "_truncate" after truncate was taken out of a
   * Protect, "_bump" after a Versioned became another kind): the statements
   * drop them, and status reports the group outdated while one exists.
   */
  staleTriggers: string[];
  staleFunctions: string[];
  /**
   * The Rowtrail schema whose functions the triggers run, for a protection's group: a trigger of the group's names
   * (its triggers and stale triggers) that runs a function of another schema is another Rowtrail installation's,
   * which install and the group's statements refuse to replace and status reports (protection-elsewhere.ts).
   */
  rowtrailSchema?: string;
  /**
   * Statements: checks (the refusal of another installation's triggers, then the group's own checks, neither part of
   * the hash), drops of stale triggers, the creating statements, drops of stale functions, comments.
   */
  statements: string[];
  /** Hash of the creating statements. */
  hash: string;
}

/**
 * Completes a group: hashes its creating statements and adds the drops of stale objects and the comments that record
 * the hash. `checks` run first and are not hashed: they refuse a definition the database cannot hold as intended,
 * and changing them leaves installed groups installed.
 */
export function triggerGroup(
  base: Omit<TriggerGroupDdl, 'statements' | 'hash' | 'staleTriggers' | 'staleFunctions' | 'fields'> & Partial<Pick<TriggerGroupDdl, 'staleTriggers' | 'staleFunctions' | 'fields'>>,
  statements: string[],
  checks: string[] = [],
): TriggerGroupDdl {
  const hash = sha256(statements.join(';\n'));
  const comment = quoteLiteral(HASH_COMMENT_PREFIX + hash);
  const table = qualified(base.schema, base.table);
  const staleTriggers = base.staleTriggers ?? [];
  const staleFunctions = base.staleFunctions ?? [];
  return {
    ...base,
    fields: base.fields ?? [],
    staleTriggers,
    staleFunctions,
    statements: [
      ...(base.rowtrailSchema !== undefined ? protectionElsewhereGuard({ ...base, staleTriggers }, base.rowtrailSchema) : []),
      ...checks,
      ...staleTriggers.map((t) => `DROP TRIGGER IF EXISTS ${quoteIdent(t)} ON ${table}`),
      ...statements,
      // after the creating statements: a trigger recreated under the same name may have run one of them
      ...staleFunctions.map((f) => `DROP FUNCTION IF EXISTS ${f}`),
      ...base.triggers.map((t) => `COMMENT ON TRIGGER ${quoteIdent(t)} ON ${table} IS ${comment}`),
      ...base.functions.map((f) => `COMMENT ON FUNCTION ${f} IS ${comment}`),
    ],
    hash,
  };
}

/** Statements that remove a group's triggers and functions. */
export function dropTriggerGroup(group: Pick<TriggerGroupDdl, 'schema' | 'table' | 'triggers' | 'functions'>): string[] {
  const table = qualified(group.schema, group.table);
  return [
    ...group.triggers.map((t) => `DROP TRIGGER IF EXISTS ${quoteIdent(t)} ON ${table}`),
    ...group.functions.map((f) => `DROP FUNCTION IF EXISTS ${f}`),
  ];
}

/** `CREATE OR REPLACE FUNCTION name() RETURNS trigger` around a PL/pgSQL block, dollar-quoted with a tag the block does not contain. */
export function triggerFunction(name: string, block: string): string {
  return `CREATE OR REPLACE FUNCTION ${name} RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(`\n${block}\n`)}`;
}
