// A schema migration that renames (or drops) a column a protection names: PostgreSQL keeps the protection's WHEN
// clause by column number, its trigger arguments and generated functions by name. Writes the protection handles say
// what happened, status reports it, and install refuses the old declaration until it names the new column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { protectedTable } from '../testing/tracked-spec.js';
import type { ProtectionSpec } from './protection-spec.js';

let db: TestDatabase;

const declared: ProtectionSpec[] = [
  { kind: 'read_only', name: 'author_fixed', fields: ['created_by'] },
  { kind: 'fsm', name: 'flow', field: 'status', transitions: [['a', 'b']] },
  { kind: 'versioned', name: 'ver', field: 'version' },
  { kind: 'soft_delete', name: 'keep', field: 'is_active', value: false },
];
const renamed: Record<string, string> = { created_by: 'author', status: 'state', version: 'rev', is_active: 'active' };
const redeclared: ProtectionSpec[] = declared.map((p) =>
  p.kind === 'read_only' ? { ...p, fields: p.fields.map((f) => renamed[f]) } : p.kind === 'fsm' || p.kind === 'versioned' || p.kind === 'soft_delete' ? { ...p, field: renamed[p.field] } : p);
const specs = (protections: ProtectionSpec[]) => protectedTable('item', ...protections);

const refusal = (sql: string) => db.pool.query(sql).then(() => undefined, (e: { code: string; message: string; hint?: string }) => e);

beforeAll(async () => {
  db = await createTestDatabase('protection_renamed_field');
  await db.pool.query(`CREATE TABLE item (id int PRIMARY KEY, note text, created_by text, status text, version int NOT NULL DEFAULT 1, is_active boolean NOT NULL DEFAULT true)`);
  await db.pool.query(`INSERT INTO item (id, note, created_by, status) VALUES (1, 'n', 'alice', 'a'), (2, 'n', 'bob', 'a')`);
  await install(db.pool, [], { protections: specs(declared) });
  for (const [from, to] of Object.entries(renamed)) await db.pool.query(`ALTER TABLE item RENAME COLUMN ${from} TO ${to}`);
});
afterAll(() => db.drop());

describe('a protection whose column was renamed', () => {
  it('refuses the writes its WHEN selects naming the protection and the column, not a made-up transition', async () => {
    const readOnly = await refusal(`UPDATE item SET author = 'mallory' WHERE id = 1`);
    expect(readOnly?.code).toBe('42703');
    expect(readOnly?.message).toBe('Rowtrail: protection "author_fixed" on table public.item names column(s) created_by, which the table no longer has (renamed or dropped since the protection was installed)');
    expect(readOnly?.hint).toMatch(/^Declare the protection with the columns' current names and install it again/);
    const fsm = await refusal(`UPDATE item SET state = 'c' WHERE id = 1`);
    expect(fsm?.code).toBe('42703');
    expect(fsm?.message).toMatch(/^Rowtrail: protection "flow" on table public\.item names column\(s\) status, which the table no longer has/);
    const versionEdit = await refusal(`UPDATE item SET rev = 9 WHERE id = 1`);
    expect(versionEdit?.message).toMatch(/^Rowtrail: protection "ver" on table public\.item names column\(s\) version,/);
  });

  it('is reported outdated by status, naming the columns', async () => {
    const entries = (await status(db.pool, [], { protections: specs(declared) })).entries.filter((e) => e.kind === 'protection');
    expect(entries.map((e) => [e.name, e.state])).toEqual([['author_fixed', 'outdated'], ['flow', 'outdated'], ['ver', 'outdated'], ['keep', 'outdated']]);
    expect(entries.find((e) => e.name === 'keep')?.detail).toBe('protection "keep" on public.item names column "is_active", which the table does not have: name its columns by their database names '
      + '(after a migration that renames or drops one, declare the protection with the current names and install it again, in that migration)');
  });

  it('install refuses the old declaration and changes nothing', async () => {
    await expect(install(db.pool, [], { protections: specs(declared) })).rejects.toThrow(
      'Rowtrail: protection "author_fixed" on public.item names column "created_by", which the table does not have');
    expect((await status(db.pool, [], { protections: specs(declared) })).entries.filter((e) => e.kind === 'protection').every((e) => e.state === 'outdated')).toBe(true);
  });

  it('works again once declared with the new names and installed', async () => {
    await install(db.pool, [], { protections: specs(redeclared) });
    expect((await status(db.pool, [], { protections: specs(redeclared) })).entries.filter((e) => e.state !== 'installed')).toEqual([]);
    expect((await refusal(`UPDATE item SET author = 'mallory' WHERE id = 1`))?.code).toBe('RT001');
    expect((await refusal(`UPDATE item SET state = 'c' WHERE id = 1`))?.message).toMatch(/transition of state from a to c is not allowed/);
    await db.pool.query(`UPDATE item SET note = 'm' WHERE id = 1`);
    await db.pool.query(`DELETE FROM item WHERE id = 2`);
    expect((await db.pool.query(`SELECT id, rev, active FROM item ORDER BY id`)).rows).toEqual([{ id: 1, rev: 2, active: true }, { id: 2, rev: 2, active: false }]);
  });
});
