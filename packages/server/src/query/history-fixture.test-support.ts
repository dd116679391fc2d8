import type pg from 'pg';
import { createContext, type RequestContext } from '../context/request-context.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import type { Operation } from './event-types.js';

/** Test support: three tracked tables and a scripted set of writes whose events the tests expect. */
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

/** Numbers a JavaScript number cannot hold: a bigint key beyond 2^53 and a high-precision numeric. */
export const LEDGER: TrackedTableSpec = {
  schema: 'public', table: 'ledger', primaryKey: ['id'], label: 'ledger',
  columns: [{ name: 'id', type: 'bigint' }, { name: 'amount', type: 'numeric(30,3)' }, { name: 'memo', type: 'text' }],
  exclude: [], ignoreChanges: [],
};
export const BIG_ID = '9007199254740993'; // 2^53 + 1: a double rounds it to ...992
export const BIG_AMOUNTS = ['12345678901234567.891', '12345678901234567.892'] as const; // equal once rounded to a double

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
  contexts: { alice: RequestContext; bob: RequestContext; robot: RequestContext; carol: RequestContext };
}

export async function createFixtureTables(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE account (id int PRIMARY KEY, name text, balance numeric(10,2), secret text)`);
  await pool.query(`CREATE TABLE note (slug text PRIMARY KEY, body text, tags jsonb)`);
  await pool.query(`CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric(30,3), memo text)`);
  await install(pool, [ACCOUNT, NOTE, LEDGER]);
}

/** Runs the scripted writes; each call is one statement (its own transaction). */
export async function writeScriptedHistory(pool: pg.Pool): Promise<ScriptedHistory> {
  const alice = createContext({ user: 'alice', requestId: 'req-1', method: 'POST', url: '/accounts' });
  const bob = createContext({ user: 'bob', requestId: 'req-2', method: 'PATCH', url: '/accounts/1', tenant: 't1' });
  const robot = createContext({ user: 42, requestId: 'req-3', job: 'cleanup' });
  const carol = createContext({ user: 'carol', requestId: 'req-4' });
  const run = (context: RequestContext | null, sql: string) => pool.query((context?.comment ?? '') + sql);
  const account = (id: number, name: string, balance: number) => ({ id, name, balance });

  await run(alice, `INSERT INTO account VALUES (1, 'Ann', 10, 's1'), (2, 'Bob', 20, 's2')`);
  await run(bob, `UPDATE account SET balance = 15 WHERE id = 1`);
  await run(bob, `INSERT INTO note VALUES ('n1', 'hello', '{"a": [1, 2]}')`);
  await run(null, `UPDATE account SET name = 'Bobby' WHERE id = 2`);
  await run(robot, `DELETE FROM account WHERE id = 1`);
  await run(alice, `UPDATE note SET body = 'hello world' WHERE slug = 'n1'`);
  await run(carol, `INSERT INTO ledger VALUES (${BIG_ID}, ${BIG_AMOUNTS[0]}, 'big')`);
  await run(carol, `UPDATE ledger SET amount = ${BIG_AMOUNTS[1]} WHERE id = ${BIG_ID}`);
  // the query API returns numbers a double cannot hold as strings of their exact digits
  const ledger = (amount: string) => ({ id: BIG_ID, amount, memo: 'big' });

  const events: ExpectedEvent[] = [
    { table: 'public.account', recordKey: { id: 1 }, operation: 'INSERT', changes: account(1, 'Ann', 10), snapshot: account(1, 'Ann', 10), context: alice },
    { table: 'public.account', recordKey: { id: 2 }, operation: 'INSERT', changes: account(2, 'Bob', 20), snapshot: account(2, 'Bob', 20), context: alice },
    { table: 'public.account', recordKey: { id: 1 }, operation: 'UPDATE', changes: { balance: [10, 15] }, snapshot: account(1, 'Ann', 15), context: bob },
    { table: 'public.note', recordKey: { slug: 'n1' }, operation: 'INSERT', changes: { slug: 'n1', body: 'hello', tags: { a: [1, 2] } }, snapshot: { slug: 'n1', body: 'hello', tags: { a: [1, 2] } }, context: bob },
    { table: 'public.account', recordKey: { id: 2 }, operation: 'UPDATE', changes: { name: ['Bob', 'Bobby'] }, snapshot: account(2, 'Bobby', 20), context: null },
    { table: 'public.account', recordKey: { id: 1 }, operation: 'DELETE', changes: account(1, 'Ann', 15), snapshot: account(1, 'Ann', 15), context: robot },
    { table: 'public.note', recordKey: { slug: 'n1' }, operation: 'UPDATE', changes: { body: ['hello', 'hello world'] }, snapshot: { slug: 'n1', body: 'hello world', tags: { a: [1, 2] } }, context: alice },
    { table: 'public.ledger', recordKey: { id: BIG_ID }, operation: 'INSERT', changes: ledger(BIG_AMOUNTS[0]), snapshot: ledger(BIG_AMOUNTS[0]), context: carol },
    { table: 'public.ledger', recordKey: { id: BIG_ID }, operation: 'UPDATE', changes: { amount: [...BIG_AMOUNTS] }, snapshot: ledger(BIG_AMOUNTS[1]), context: carol },
  ];
  return { events, contexts: { alice, bob, robot, carol } };
}
