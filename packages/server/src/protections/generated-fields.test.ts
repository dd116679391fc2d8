// A read-only, FSM or versioned protection on a generated column (which PostgreSQL computes and no UPDATE sets) is
// refused at install and when a migration is generated, naming the protection and the field, and nothing is installed;
// PostgreSQL itself refused only the trigger, with an error about a WHEN condition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec, ProtectionSpec } from './protection-spec.js';

let db: TestDatabase;
const spec = (protection: ProtectionSpec): ProtectedTableSpec => ({ schema: 'public', table: 'line', primaryKey: ['id'], protections: [protection] });

beforeAll(async () => {
  db = await createTestDatabase('protection_generated_fields');
  await install(db.pool);
  await db.pool.query(`CREATE TABLE line (id integer PRIMARY KEY, qty integer, status text, version integer NOT NULL DEFAULT 0,
    doubled integer GENERATED ALWAYS AS (qty * 2) STORED, serial integer GENERATED ALWAYS AS IDENTITY)`);
});
afterAll(() => db.drop());

const triggers = async () => Number((await db.pool.query(`SELECT count(*) FROM pg_trigger WHERE tgrelid = 'line'::regclass AND NOT tgisinternal`)).rows[0].count);

describe('protections on generated columns', () => {
  it.each([
    ['read-only', { kind: 'read_only', name: 'frozen', fields: ['status', 'doubled'] }],
    ['FSM', { kind: 'fsm', name: 'flow', field: 'doubled', transitions: [['2', '4']] }],
    ['versioned', { kind: 'versioned', name: 'rev', field: 'doubled' }],
  ] as Array<[string, ProtectionSpec]>)('refuses a %s protection on one, installing nothing', async (kind, protection) => {
    const message = `Rowtrail: ${kind} protection "${protection.name}" cannot be installed on table public.line: its field doubled is a generated column (stored), which PostgreSQL computes and no UPDATE sets. Protect the columns it is computed from`;
    await expect(install(db.pool, [], { protections: [spec(protection)] })).rejects.toThrow(message);
    expect(await triggers()).toBe(0);
    await expect(planMigration(db.pool, [], { protections: [spec(protection)] })).rejects.toThrow(message);
  });

  it('installs them on the columns a generated column is computed from, and on an identity column', async () => {
    await install(db.pool, [], { protections: [spec({ kind: 'read_only', name: 'frozen', fields: ['qty', 'serial'] })] });
    expect(await triggers()).toBe(1);
    await db.pool.query(`INSERT INTO line (id, qty) VALUES (1, 2)`);
    await expect(db.pool.query(`UPDATE line SET qty = 3`)).rejects.toThrow(/read-only field\(s\) qty/);
  });
});
