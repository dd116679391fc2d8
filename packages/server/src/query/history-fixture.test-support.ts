import type pg from 'pg';
import { createContext, type RequestContext } from '../context/request-context.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import type { Operation } from './event-types.js';

/** Test support: two tracked tables and a scripted set of writes whose events the tests expect. */
export const ACCOUNT: TrackedTableSpec = {
  schema: 'public', table: 'account', primaryKey: ['id'], label: 'account',
  columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'balance', type: 'numeric(10,2)' }, { name: 'secret', type: 'text' }],
  exclude: ['secret'], ignoreChanges: [],
};
export const NOTE: TrackedTableSpec = {
  schema: 'public', table: 'note', primaryKey: ['slug'], label: 'note',
  columns: [{ name: 'slug', type: 'text' }, { name: 'body', type: 'text' }, { name: 'tags', type: 'jsonb' }],
  exclude: [], ignoreChanges: [],
};

export interface ExpectedEvent {
  table: string;
  recordKey: Record<string, unknown>;
  operation: Operation;
  changes: Record<string, unknown>;
  snapshot: Record<string, unknown>;
  /** The context the write carried, or null for a write without application context. */
  context: RequestContext | null;
}

export interface ScriptedHistory {
  /** Expected events in the order they were written. */
  events: ExpectedEvent[];
  contexts: { alice: RequestContext; bob: RequestContext; robot: RequestContext };
}

export async function createFixtureTables(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE account (id int PRIMARY KEY, name text, balance numeric(10,2), secret text)`);
  await pool.query(`CREATE TABLE note (slug text PRIMARY KEY, body text, tags jsonb)`);
  await install(pool, [ACCOUNT, NOTE]);
}

/** Runs the scripted writes; each call is one statement (its own transaction). */
export async function writeScriptedHistory(pool: pg.Pool): Promise<ScriptedHistory> {
  const alice = createContext({ user: 'alice', requestId: 'req-1', method: 'POST', url: '/accounts' });
  const bob = createContext({ user: 'bob', requestId: 'req-2', method: 'PATCH', url: '/accounts/1', tenant: 't1' });
  const robot = createContext({ user: 42, requestId: 'req-3', job: 'cleanup' });
  const run = (context: RequestContext | null, sql: string) => pool.query((context?.comment ?? '') + sql);
  const account = (id: number, name: string, balance: number) => ({ id, name, balance });

  await run(alice, `INSERT INTO account VALUES (1, 'Ann', 10, 's1'), (2, 'Bob', 20, 's2')`);
  await run(bob, `UPDATE account SET balance = 15 WHERE id = 1`);
  await run(bob, `INSERT INTO note VALUES ('n1', 'hello', '{"a": [1, 2]}')`);
  await run(null, `UPDATE account SET name = 'Bobby' WHERE id = 2`);
  await run(robot, `DELETE FROM account WHERE id = 1`);
  await run(alice, `UPDATE note SET body = 'hello world' WHERE slug = 'n1'`);

  const events: ExpectedEvent[] = [
    { table: 'public.account', recordKey: { id: 1 }, operation: 'INSERT', changes: account(1, 'Ann', 10), snapshot: account(1, 'Ann', 10), context: alice },
    { table: 'public.account', recordKey: { id: 2 }, operation: 'INSERT', changes: account(2, 'Bob', 20), snapshot: account(2, 'Bob', 20), context: alice },
    { table: 'public.account', recordKey: { id: 1 }, operation: 'UPDATE', changes: { balance: [10, 15] }, snapshot: account(1, 'Ann', 15), context: bob },
    { table: 'public.note', recordKey: { slug: 'n1' }, operation: 'INSERT', changes: { slug: 'n1', body: 'hello', tags: { a: [1, 2] } }, snapshot: { slug: 'n1', body: 'hello', tags: { a: [1, 2] } }, context: bob },
    { table: 'public.account', recordKey: { id: 2 }, operation: 'UPDATE', changes: { name: ['Bob', 'Bobby'] }, snapshot: account(2, 'Bobby', 20), context: null },
    { table: 'public.account', recordKey: { id: 1 }, operation: 'DELETE', changes: account(1, 'Ann', 15), snapshot: account(1, 'Ann', 15), context: robot },
    { table: 'public.note', recordKey: { slug: 'n1' }, operation: 'UPDATE', changes: { body: ['hello', 'hello world'] }, snapshot: { slug: 'n1', body: 'hello world', tags: { a: [1, 2] } }, context: alice },
  ];
  return { events, contexts: { alice, bob, robot } };
}
