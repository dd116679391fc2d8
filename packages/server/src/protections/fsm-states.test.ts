// An FSM compares its field's states as text (OLD.field::text with each transition's strings). Install refuses states
// that no value of the field is written as (boolean "t", an enum label the type lacks, jsonb not in jsonb's own
// spelling), which would never match, and fields whose text form depends on the session's settings (timestamps,
// dates, intervals, money), where the same transition would pass in one session and be refused in another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { protectedTable } from '../testing/tracked-spec.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('fsm_states');
  await db.pool.query(`CREATE TYPE task_state AS ENUM ('open', 'done')`);
  await db.pool.query(`CREATE DOMAIN moment AS timestamp`);
  await db.pool.query(`CREATE TABLE f (
    id int PRIMARY KEY, b boolean, ts timestamp, tz timestamptz, d date, iv interval, tsr tsrange, tsa moment[], m money,
    st task_state, sts task_state[], s text, j jsonb, code varchar(4), fl double precision, r real, by bytea)`);
  await db.pool.query(`INSERT INTO f VALUES (1, false, '2024-01-01', '2024-01-01 00:00+00', '2024-01-01', '1 day', NULL, NULL, 1, 'open', '{open}', 'a', '{"a": 1}', 'ab')`);
  await install(db.pool); // the core, so a generated migration's protection statements can run
});
afterAll(() => db.drop());

const fsm = (field: string, ...transitions: Array<[string, string]>) => protectedTable('f', { kind: 'fsm', name: 'flow', field, transitions });
const triggers = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'f'::regclass`)).rows[0].n;
const refused = (sql: string) => db.pool.query(sql).then(() => false, (e: { code?: string }) => e.code === 'RT001');

describe('an FSM whose states its field never takes as text', () => {
  it('is refused at install, naming the state and how PostgreSQL writes it, and nothing is installed', async () => {
    await expect(install(db.pool, [], { protections: fsm('b', ['f', 't']) })).rejects.toThrow(
      /FSM "flow" cannot be installed on table public\.f: PostgreSQL writes its state "f" as "false" in field b \(boolean\), and an FSM compares states as text, so transitions from or to "f" would never match/,
    );
    await expect(install(db.pool, [], { protections: fsm('j', ['{"a":1}', '{"a": 2}']) })).rejects.toThrow(/its state "\{"a":1\}" as "\{"a": 1\}" in field j \(jsonb\)/);
    await expect(install(db.pool, [], { protections: fsm('code', ['ab', 'abcdef']) })).rejects.toThrow(/its state "abcdef" as "abcd" in field code \(character varying\(4\)\)/);
    await expect(install(db.pool, [], { protections: fsm('st', ['open', 'closed']) })).rejects.toThrow(
      /FSM "flow" cannot be installed on table public\.f: its state "closed" is not a value of field st \(task_state\): invalid input value for enum task_state: "closed"/,
    );
    expect(await triggers()).toBe(0);
  });

  it('is refused by a generated migration too', async () => {
    const plan = await planMigration(db.pool, [], { protections: fsm('b', ['f', 't']) });
    await expect(runAsMigration(db.pool, plan.up)).rejects.toThrow(/PostgreSQL writes its state "f" as "false"/);
    expect(await triggers()).toBe(0);
  });
});

describe('an FSM on a field whose text form depends on the session', () => {
  it('is refused for timestamps, dates, intervals, money, floats, bytea, and arrays, ranges and domains of them', async () => {
    for (const [field, type] of [
      ['ts', 'timestamp without time zone'], ['tz', 'timestamp with time zone'], ['d', 'date'], ['iv', 'interval'],
      ['tsr', 'tsrange'], ['tsa', 'moment\\[\\]'], ['m', 'money'], ['fl', 'double precision'], ['r', 'real'], ['by', 'bytea'],
    ]) {
      await expect(install(db.pool, [], { protections: fsm(field, ['a', 'b']) }), field).rejects.toThrow(new RegExp(
        `FSM "flow" cannot be installed on table public\\.f: its field ${field} is of type ${type}, whose values PostgreSQL writes as text by the session's settings`,
      ));
    }
    expect(await triggers()).toBe(0);
  });
});

describe('an FSM whose states are written as PostgreSQL writes them', () => {
  it('installs and checks transitions (boolean, enum and enum array, jsonb, text)', async () => {
    await install(db.pool, [], { protections: protectedTable('f',
      { kind: 'fsm', name: 'flag', field: 'b', transitions: [['false', 'true']] },
      { kind: 'fsm', name: 'task', field: 'st', transitions: [['open', 'done']] },
      { kind: 'fsm', name: 'tasks', field: 'sts', transitions: [['{open}', '{open,done}']] },
      { kind: 'fsm', name: 'doc', field: 'j', transitions: [['{"a": 1}', '{"a": 2}']] },
      { kind: 'fsm', name: 'word', field: 's', transitions: [['a', "it's b"]] },
    ) });
    expect(await refused(`UPDATE f SET st = 'done', b = true, sts = '{open,done}', j = '{"a":2}', s = 'it''s b'`)).toBe(false);
    expect(await refused(`UPDATE f SET b = false`)).toBe(true);
    expect(await refused(`UPDATE f SET st = 'open'`)).toBe(true);
  });
});

describe('an FSM naming an enum label the application\'s migration adds in the same transaction', () => {
  it('installs (the label exists, though PostgreSQL lets no value use it before the transaction commits)', async () => {
    const plan = await planMigration(db.pool, [], { protections: protectedTable('f', { kind: 'fsm', name: 'task', field: 'st', transitions: [['open', 'done'], ['done', 'archived']] }) });
    await runAsMigration(db.pool, [`ALTER TYPE task_state ADD VALUE 'archived'`, ...plan.up]);
    await db.pool.query(`UPDATE f SET st = 'done' WHERE st <> 'done'`);
    expect(await refused(`UPDATE f SET st = 'archived'`)).toBe(false);
    expect(await refused(`UPDATE f SET st = 'open'`)).toBe(true);
  });
});

describe('an FSM with null in its transitions', () => {
  it('lets a row without a state take one, or leave it, only as listed', async () => {
    await db.pool.query(`CREATE TABLE ticket (id int PRIMARY KEY, state text); INSERT INTO ticket VALUES (1, NULL), (2, NULL), (3, 'open')`);
    const flow = protectedTable('ticket', { kind: 'fsm', name: 'flow', field: 'state', transitions: [[null, 'open'], ['open', 'done'], ['open', null]] });
    await install(db.pool, [], { protections: flow });
    expect(await refused(`UPDATE ticket SET state = 'open' WHERE id = 1`)).toBe(false); // null → open, listed
    expect(await refused(`UPDATE ticket SET state = 'done' WHERE id = 2`)).toBe(true); // null → done, not listed
    expect(await refused(`UPDATE ticket SET state = NULL WHERE id = 3`)).toBe(false); // open → null, listed
    expect(await refused(`UPDATE ticket SET state = 'done' WHERE id = 1`)).toBe(false);
    expect(await refused(`UPDATE ticket SET state = NULL WHERE id = 1`)).toBe(true); // done → null, not listed
    await expect(install(db.pool, [], { protections: protectedTable('ticket', { kind: 'fsm', name: 'flow', field: 'state', transitions: [[null, null]] }) }))
      .rejects.toThrow(/each transition must be a pair of state names as strings \(or null for no state\), \[from, to\]; got \[null,null\]/);
  });
});
