// Names of generated triggers and functions: unique per table, and ordered however long the protection name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { buildProtectionDdl, buildProtectionsDdl } from './protection-ddl.js';
import type { ProtectedTableSpec, ProtectionSpec } from './protection-spec.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('protection_names');
  await db.pool.query(`CREATE SCHEMA sales`);
  await db.pool.query(`CREATE TABLE public.sales_order (id int PRIMARY KEY, active boolean NOT NULL DEFAULT true)`);
  await db.pool.query(`CREATE TABLE sales."order" (id int PRIMARY KEY, active boolean NOT NULL DEFAULT true)`);
  await db.pool.query(`CREATE TABLE stock_movement (id int PRIMARY KEY, qty int, revision int NOT NULL DEFAULT 0)`);
});
afterAll(() => db.drop());

const softDelete = (schema: string, table: string): ProtectedTableSpec => ({
  schema, table, primaryKey: ['id'], protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'active', value: false }],
});

describe('generated function names', () => {
  it('differ for public.sales_order and sales."order", so each table keeps its own soft delete', async () => {
    const specs = [softDelete('public', 'sales_order'), softDelete('sales', 'order')];
    const [a, b] = buildProtectionsDdl(specs, 'rowtrail');
    expect(a.functions[0]).not.toBe(b.functions[0]);
    await install(db.pool, [], { protections: specs });
    expect((await status(db.pool, [], { protections: specs })).upToDate).toBe(true);
    await db.pool.query(`INSERT INTO public.sales_order VALUES (1), (2)`);
    await db.pool.query(`INSERT INTO sales."order" VALUES (1), (2)`);
    await db.pool.query(`DELETE FROM public.sales_order WHERE id = 1`);
    await db.pool.query(`DELETE FROM sales."order" WHERE id = 2`);
    expect((await db.pool.query(`SELECT id, active FROM public.sales_order ORDER BY id`)).rows).toEqual([{ id: 1, active: false }, { id: 2, active: true }]);
    expect((await db.pool.query(`SELECT id, active FROM sales."order" ORDER BY id`)).rows).toEqual([{ id: 1, active: true }, { id: 2, active: false }]);
  });

  it('refuses two different definitions of the same trigger, and accepts a table listed twice identically', () => {
    const other: ProtectedTableSpec = { ...softDelete('public', 'sales_order'), protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'active', value: true }] };
    expect(() => buildProtectionsDdl([softDelete('public', 'sales_order'), other], 'rowtrail')).toThrow(/soft_delete.*public\.sales_order.*different definitions/);
    expect(buildProtectionsDdl([softDelete('public', 'sales_order'), softDelete('public', 'sales_order')], 'rowtrail')).toHaveLength(1);
    const clash: ProtectionSpec[] = [{ kind: 'versioned', name: 'v', field: 'revision' }, { kind: 'protect', name: 'v_bump', operations: ['delete'] }];
    expect(() => buildProtectionDdl({ schema: 'public', table: 't', primaryKey: ['id'], protections: clash }, 'rowtrail'))
      .toThrow(/"v" and "v_bump" on public\.t would both create rowtrail_protect_v_bump/);
  });
});

describe('long protection names', () => {
  const name = 'warehouse_stock_movement_revision_counter_guard';
  const spec: ProtectedTableSpec = { schema: 'public', table: 'stock_movement', primaryKey: ['id'], protections: [{ kind: 'versioned', name, field: 'revision' }] };

  it('keep the versioned guard before its increment', async () => {
    const [group] = buildProtectionDdl(spec, 'rowtrail');
    expect(group.triggers.every((t) => Buffer.byteLength(t) <= 63)).toBe(true);
    expect(group.triggers[1]).toBe(`${group.triggers[0]}_bump`);
    await install(db.pool, [], { protections: [spec] });
    await db.pool.query(`INSERT INTO stock_movement VALUES (1, 10, 0)`);
    await db.pool.query(`UPDATE stock_movement SET qty = 11 WHERE id = 1`);
    await db.pool.query(`UPDATE stock_movement SET qty = 12 WHERE id = 1`);
    expect((await db.pool.query(`SELECT revision FROM stock_movement`)).rows).toEqual([{ revision: 2 }]);
    await expect(db.pool.query(`UPDATE stock_movement SET revision = 7 WHERE id = 1`)).rejects.toMatchObject({ code: 'RT001' });
    const { rows } = await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'stock_movement'::regclass AND NOT tgisinternal ORDER BY tgname`);
    expect(rows.map((r) => r.tgname)).toEqual(group.triggers);
  });
});
