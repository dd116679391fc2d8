// Soft delete on a table whose foreign key deletes its rows ON DELETE CASCADE is refused at install:
// the cascade's DELETE would become an update and leave the row referencing a deleted one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
const columns = [{ name: 'id', type: 'integer' }, { name: 'parent_id', type: 'integer' }, { name: 'is_active', type: 'boolean' }];
const softDelete = (table: string): ProtectedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], columns, protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'is_active', value: false }],
});
const parentGuard: ProtectedTableSpec = { schema: 'public', table: 'parent', primaryKey: ['id'], protections: [{ kind: 'protect', name: 'no_truncate', operations: ['truncate'] }] };

beforeAll(async () => {
  db = await createTestDatabase('soft_delete_cascade');
  await db.pool.query(`CREATE TABLE parent (id integer PRIMARY KEY)`);
  await db.pool.query(`CREATE TABLE child (id integer PRIMARY KEY, parent_id integer CONSTRAINT child_parent_fk REFERENCES parent ON DELETE CASCADE, is_active boolean NOT NULL DEFAULT true)`);
  await db.pool.query(`CREATE TABLE nullable_child (id integer PRIMARY KEY, parent_id integer REFERENCES parent ON DELETE SET NULL, is_active boolean NOT NULL DEFAULT true)`);
});
afterAll(() => db.drop());

const protectionTriggers = async () => (await db.pool.query(
  `SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE tgname LIKE 'rowtrail_protect_%' ORDER BY 1, 2`,
)).rows.map((r) => `${r.t}.${r.tgname}`);

describe('@SoftDelete and ON DELETE CASCADE', () => {
  it('refuses to install on the referencing table, naming it and the constraint, and installs nothing', async () => {
    await expect(install(db.pool, [], { protections: [parentGuard, softDelete('child')] }))
      .rejects.toThrow(/soft delete "soft_delete" cannot be installed on table public\.child: its foreign key child_parent_fk deletes its rows ON DELETE CASCADE/);
    expect(await protectionTriggers()).toEqual([]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_proc WHERE proname LIKE 'child_soft_delete_%'`)).rows).toEqual([{ n: 0 }]);
  });

  it('refuses a field or primary key that is not a column of the table (every DELETE would fail), naming them', async () => {
    const typo: ProtectedTableSpec = { ...softDelete('nullable_child'), primaryKey: ['ident'], protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'is_actve', value: false }] };
    await expect(install(db.pool, [], { protections: [typo] }))
      .rejects.toThrow(/protection "soft_delete" on public\.nullable_child names columns "is_actve", "ident", which the table does not have/);
    expect(await protectionTriggers()).toEqual([]);
    // a generated migration, which may run before the table has the column, refuses it when it runs
    const plan = await planMigration(db.pool, [], { protections: [typo] });
    await expect(runAsMigration(db.pool, plan.up))
      .rejects.toThrow(/soft delete "soft_delete" cannot be installed on table public\.nullable_child: it has no column is_actve, ident \(its field and primary key\)/);
    expect(await protectionTriggers()).toEqual([]);
  });

  it('refuses it in a generated migration too', async () => {
    await install(db.pool); // the core, so the plan's protection statements can run
    const plan = await planMigration(db.pool, [], { protections: [softDelete('child')] });
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const run = async () => { for (const sql of plan.up) await client.query(sql); };
      await expect(run()).rejects.toThrow(/its foreign key child_parent_fk deletes its rows ON DELETE CASCADE/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('keeps referential integrity where it installs: ON DELETE SET NULL is an update, which soft delete leaves alone', async () => {
    await install(db.pool, [], { protections: [softDelete('nullable_child')] });
    await db.pool.query(`INSERT INTO parent VALUES (1), (2)`);
    await db.pool.query(`INSERT INTO nullable_child VALUES (10, 1, true), (20, 2, true)`);
    await db.pool.query(`DELETE FROM nullable_child WHERE id = 20`);
    await db.pool.query(`DELETE FROM parent WHERE id = 1`);
    expect((await db.pool.query(`SELECT id, parent_id, is_active FROM nullable_child ORDER BY id`)).rows)
      .toEqual([{ id: 10, parent_id: null, is_active: true }, { id: 20, parent_id: 2, is_active: false }]);
  });

  it('is reported by status and refused by the next install when a migration added the cascading key after the install', async () => {
    await db.pool.query(`CREATE TABLE later_child (id integer PRIMARY KEY, parent_id integer, is_active boolean NOT NULL DEFAULT true)`);
    await install(db.pool, [], { protections: [softDelete('later_child')] });
    const laterChild = async () => (await status(db.pool, [], { protections: [softDelete('later_child')] })).entries.find((e) => e.kind === 'protection' && e.table === 'public.later_child');
    expect(await laterChild()).toMatchObject({ state: 'installed' });
    await db.pool.query(`ALTER TABLE later_child ADD CONSTRAINT later_child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent ON DELETE CASCADE`);
    expect(await laterChild()).toMatchObject({ state: 'outdated', detail: expect.stringContaining('foreign key later_child_parent_fk deletes rows ON DELETE CASCADE') });
    // the install, whose definition is unchanged, checks the table again rather than keep it as installed
    await expect(install(db.pool, [], { protections: [softDelete('later_child')] }))
      .rejects.toThrow(/protection "soft_delete" on public\.later_child failed: .*its foreign key later_child_parent_fk deletes its rows ON DELETE CASCADE/);
    await db.pool.query(`ALTER TABLE later_child DROP CONSTRAINT later_child_parent_fk, ADD CONSTRAINT later_child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent ON DELETE SET NULL`);
    await install(db.pool, [], { protections: [softDelete('later_child')] });
    expect(await laterChild()).toEqual({ kind: 'protection', table: 'public.later_child', name: 'soft_delete', state: 'installed' });
  });
});
