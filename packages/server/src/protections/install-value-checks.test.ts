// A soft delete whose value its field cannot hold, and a versioned field that cannot be incremented, would install and
// then make every DELETE (or every real UPDATE) fail with a bare PostgreSQL error naming neither the table nor the
// protection: both are refused at install (soft-delete-install-check.ts, versioned-field-check.ts), changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { buildProtectionDdl } from './protection-ddl.js';
import type { ProtectedTableSpec, ProtectionSpec } from './protection-spec.js';

let db: TestDatabase;

const spec = (table: string, protection: ProtectionSpec): ProtectedTableSpec => ({ schema: 'public', table, primaryKey: ['id'], protections: [protection] });
const softDelete = (field: string, value: string | number | boolean | null, table = 'doc') =>
  spec(table, { kind: 'soft_delete', name: 'sd', field, value });
const versioned = (field: string, table = 'doc') => spec(table, { kind: 'versioned', name: 'v', field });

beforeAll(async () => {
  db = await createTestDatabase('install_value_checks');
  await install(db.pool); // the core, so a generated migration's protection statements can run
  await db.pool.query(`CREATE DOMAIN positive AS integer CHECK (VALUE > 0)`);
  await db.pool.query(`CREATE TABLE doc (
    id integer PRIMARY KEY, deleted_at timestamptz, deleted_on date, removed_at timestamptz NOT NULL DEFAULT now(), rank positive,
    status text, is_active boolean NOT NULL DEFAULT true, doubled integer GENERATED ALWAYS AS (id * 2) STORED,
    version integer NOT NULL DEFAULT 0, big_version bigint, num_version numeric, text_version text, stamp timestamptz)`);
});
afterAll(() => db.drop());

const installed = async () => (await db.pool.query(
  `SELECT (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'doc'::regclass AND tgname LIKE 'rowtrail_protect_%') AS triggers,
          (SELECT count(*)::int FROM pg_proc WHERE proname LIKE 'doc_sd_%' OR proname LIKE 'doc_v_%') AS functions`,
)).rows[0];

/** The error an install of `protection` fails with (its cause is PostgreSQL's, with the SQLSTATE). */
async function refusal(protection: ProtectedTableSpec): Promise<{ message: string; code: string; hint: string }> {
  const error = await install(db.pool, [], { protections: [protection] }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  const cause = (error as Error).cause as { message: string; code: string; hint: string };
  expect(await installed()).toEqual({ triggers: 0, functions: 0 });
  return { message: (error as Error).message, code: cause.code, hint: cause.hint };
}

describe('@SoftDelete with a value its field cannot hold', () => {
  it('refuses a value of another type, naming the protection, table, field and value, with PostgreSQL\'s reason and SQLSTATE', async () => {
    const error = await refusal(softDelete('deleted_at', true));
    expect(error.message).toContain('Rowtrail: soft delete "sd" cannot be installed on table public.doc: its field deleted_at (timestamp with time zone) '
      + 'cannot be set to TRUE: column "deleted_at" is of type timestamp with time zone but expression is of type boolean');
    expect(error.code).toBe('42804');
    expect(error.hint).toMatch(/value of the field's type/);
  });

  it('refuses a string the field\'s type cannot read', async () => {
    const error = await refusal(softDelete('deleted_at', 'abc'));
    expect(error.message).toContain(`its field deleted_at (timestamp with time zone) cannot be set to 'abc': invalid input syntax for type timestamp with time zone: "abc"`);
    expect(error.code).toBe('22007');
    await expect(refusal(softDelete('deleted_on', 5))).resolves.toMatchObject({ code: '42804' });
  });

  it('refuses NULL for a NOT NULL field', async () => {
    const error = await refusal(softDelete('removed_at', null));
    expect(error.message).toContain('Rowtrail: soft delete "sd" cannot be installed on table public.doc: its field removed_at is NOT NULL and the value is NULL');
    expect(error.code).toBe('23502');
  });

  it('refuses a value its domain does not allow, and a generated column', async () => {
    const domain = await refusal(softDelete('rank', 0));
    expect(domain.message).toContain('its field rank (positive) cannot be set to 0: value for domain positive violates check constraint "positive_check"');
    expect(domain.code).toBe('23514');
    const generated = await refusal(softDelete('doubled', 0));
    expect(generated.message).toContain('its field doubled (integer) cannot be set to 0: column "doubled" can only be updated to DEFAULT');
    expect(generated.code).toBe('428C9');
  });

  it('refuses it in a generated migration too, changing nothing', async () => {
    const plan = await planMigration(db.pool, [], { protections: [softDelete('deleted_at', true)] });
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const run = async () => { for (const sql of plan.up) await client.query(sql); };
      await expect(run()).rejects.toMatchObject({
        code: '42804', message: expect.stringContaining('soft delete "sd" cannot be installed on table public.doc: its field deleted_at'),
      });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await installed()).toEqual({ triggers: 0, functions: 0 });
  });

  it('refuses it for a role that may not update the table too (PostgreSQL types the value before it checks privileges)', async () => {
    const role = `rowtrail_trigger_only_${process.pid}_${Date.now()}`; // roles are cluster-wide: one of this run's own
    const check = (value: boolean | string) => buildProtectionDdl(softDelete('deleted_at', value), 'rowtrail')[0].statements.find((s) => s.startsWith('DO ') && s.includes('EXPLAIN'))!;
    await db.pool.query(`CREATE ROLE ${role}; GRANT SELECT, TRIGGER ON doc TO ${role}`);
    try { // from here on, whatever fails, the role goes
      const client = await db.pool.connect();
      try {
        await client.query(`SET ROLE ${role}`);
        await expect(client.query(check(true))).rejects.toMatchObject({ code: '42804', message: expect.stringContaining('its field deleted_at') });
        await client.query(check('now')); // a value it can hold passes: the missing UPDATE privilege is checked after
      } finally {
        await client.query('RESET ROLE');
        client.release();
      }
    } finally {
      await db.pool.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });
});

describe('@SoftDelete with a string value read when each DELETE runs', () => {
  it("stores each DELETE's own time for 'now', also on one connection whose function's plan is cached", async () => {
    await db.pool.query(`CREATE TABLE note (id integer PRIMARY KEY, deleted_at timestamptz)`);
    await install(db.pool, [], { protections: [softDelete('deleted_at', 'now', 'note')] });
    await db.pool.query(`INSERT INTO note (id) SELECT generate_series(1, 3)`);
    const client = await db.pool.connect();
    try {
      for (const id of [1, 2, 3]) {
        await client.query('DELETE FROM note WHERE id = $1', [id]); // a transaction of its own: now() moves on
        await client.query('SELECT pg_sleep(0.01)');
      }
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(`SELECT count(DISTINCT deleted_at)::int AS times, bool_and(deleted_at <= now()) AS past FROM note`);
    expect(rows).toEqual([{ times: 3, past: true }]);
  });

  it('marks an already soft-deleted row again (docs/protections.md); a DELETE of rows not yet deleted keeps the first time', async () => {
    await db.pool.query(`CREATE TABLE memo (id integer PRIMARY KEY, deleted_at timestamptz)`);
    await install(db.pool, [], { protections: [softDelete('deleted_at', 'now', 'memo')] });
    await db.pool.query(`INSERT INTO memo (id) VALUES (1), (2)`);
    await db.pool.query(`DELETE FROM memo`);
    const first = (await db.pool.query(`SELECT id, deleted_at FROM memo ORDER BY id`)).rows;
    await db.pool.query('SELECT pg_sleep(0.01)');
    await db.pool.query(`DELETE FROM memo WHERE id = 1`);
    await db.pool.query(`DELETE FROM memo WHERE id = 2 AND deleted_at IS NULL`); // matches no row: 2 is deleted already
    const second = (await db.pool.query(`SELECT id, deleted_at FROM memo ORDER BY id`)).rows;
    expect(second[0].deleted_at.getTime()).toBeGreaterThan(first[0].deleted_at.getTime());
    expect(second[1]).toEqual(first[1]);
  });

  it('reads other strings as the literal did, with the type of each field', async () => {
    await db.pool.query(`CREATE TYPE task_state AS ENUM ('open', 'deleted')`);
    const cases: Array<[string, string, unknown]> = [
      ['text', "it's deleted", "it's deleted"], ['varchar(12)', 'deleted', 'deleted'], ['task_state', 'deleted', 'deleted'],
      ['boolean', 'false', false], ['text[]', '{deleted,gone}', ['deleted', 'gone']], ['jsonb', '{"deleted": true}', { deleted: true }],
      ['numeric(4, 1)', '2.25', '2.3'],
    ];
    for (const [i, [type, value, stored]] of cases.entries()) {
      await db.pool.query(`CREATE TABLE task_${i} (id integer PRIMARY KEY, mark ${type})`);
      await install(db.pool, [], { protections: [softDelete('mark', value, `task_${i}`)] });
      await db.pool.query(`INSERT INTO task_${i} (id) VALUES (1)`);
      await db.pool.query(`DELETE FROM task_${i}`);
      expect((await db.pool.query(`SELECT mark FROM task_${i}`)).rows, type).toEqual([{ mark: stored }]);
    }
  });
});

describe('@Versioned on a field that cannot be incremented', () => {
  it('refuses it, naming the protection, table, field and its type, with PostgreSQL\'s reason and SQLSTATE', async () => {
    const error = await refusal(versioned('text_version'));
    expect(error.message).toContain('Rowtrail: versioned "v" cannot be installed on table public.doc: its field text_version is of type text, '
      + 'which cannot be incremented: COALESCE types text and integer cannot be matched');
    expect(error.code).toBe('42804');
    expect(error.hint).toMatch(/integer type/);
    await expect(refusal(versioned('stamp'))).resolves.toMatchObject({ code: '42804', message: expect.stringContaining('its field stamp is of type timestamp with time zone') });
  });

  it('refuses it in a generated migration too', async () => {
    const plan = await planMigration(db.pool, [], { protections: [versioned('text_version')] });
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const run = async () => { for (const sql of plan.up) await client.query(sql); };
      await expect(run()).rejects.toMatchObject({ code: '42804', message: expect.stringContaining('versioned "v" cannot be installed on table public.doc: its field text_version') });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await installed()).toEqual({ triggers: 0, functions: 0 });
  });

  it('refuses a field that is not a column before running anything, naming it', async () => {
    const error = await install(db.pool, [], { protections: [versioned('no_such_field')] }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^Rowtrail: protection "v" on public\.doc names column "no_such_field", which the table does not have: name its columns by their database names/);
    expect(error).toMatchObject({ code: '42703' });
    expect(await installed()).toEqual({ triggers: 0, functions: 0 });
  });

  it('installs on integer and numeric fields, and on an identity column an UPDATE may not set', async () => {
    await db.pool.query(`CREATE TABLE counted (id integer PRIMARY KEY, small smallint, big bigint, num numeric(10, 0), ident integer GENERATED ALWAYS AS IDENTITY, label text)`);
    const protections = ['small', 'big', 'num', 'ident'].map((f): ProtectionSpec => ({ kind: 'versioned', name: `v_${f}`, field: f }));
    await install(db.pool, [], { protections: [{ schema: 'public', table: 'counted', primaryKey: ['id'], protections }] });
    await db.pool.query(`INSERT INTO counted (id, label) VALUES (1, 'a')`);
    await db.pool.query(`UPDATE counted SET label = 'b'`);
    expect((await db.pool.query(`SELECT small, big, num, ident FROM counted`)).rows).toEqual([{ small: 1, big: '1', num: '1', ident: 2 }]);
  });
});
