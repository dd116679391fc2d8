// The django-pgtrigger tutorial, example by example, on TypeORM entities against real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, QueryFailedError } from 'typeorm';
import { ignore } from '../protections/ignore.js';
import { ProtectionError, protectionErrorOf } from '../protections/protection-error.js';
import type { TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import {
  AppendOnly, CannotDelete, Coupon, FsmModel, OfficialInterface, PROTECTION_ENTITIES, ReadOnlyField, ReadOnlyFields, SoftDeleteModel, VersionedModel,
} from './protection-test-entities.js';

let db: TestDatabase;
let dataSource: DataSource;

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('protections', PROTECTION_ENTITIES, 4);
  ({ db, dataSource } = opened);
});
afterAll(() => opened?.close());

/** The refusal the application receives, unwrapped from TypeORM's QueryFailedError. */
async function refusal(write: Promise<unknown>): Promise<ProtectionError> {
  const error = await write.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(QueryFailedError);
  const typed = protectionErrorOf(error);
  expect(typed).toBeInstanceOf(ProtectionError);
  return typed!;
}

describe('protections (django-pgtrigger tutorial parity)', () => {
  it('protected delete fails loudly', async () => {
    const repo = dataSource.getRepository(CannotDelete);
    const row = await repo.save(repo.create({}));
    const error = await refusal(repo.remove(row));
    expect(error).toMatchObject({ table: 'public.cannot_delete', protection: 'protect_deletes', operation: 'DELETE', code: 'RT001' });
    expect(error.message).toMatch(/cannot delete rows from table public\.cannot_delete/);
    expect(await repo.countBy({ id: row.id })).toBe(1);
  });

  it('append-only allows inserts only', async () => {
    const repo = dataSource.getRepository(AppendOnly);
    const row = await repo.save(repo.create({ intField: 0 }));
    expect((await refusal(repo.update(row.id, { intField: 1 }))).operation).toBe('UPDATE');
    expect((await refusal(repo.delete(row.id)))).toMatchObject({ protection: 'append_only', operation: 'DELETE' });
    await repo.save(repo.create({ intField: 2 }));
    expect((await repo.find({ order: { id: 'ASC' } })).map((r) => r.intField)).toEqual([0, 2]);
  });

  it('a read-only field cannot change while other fields update', async () => {
    const repo = dataSource.getRepository(ReadOnlyField);
    const row = await repo.save(repo.create({ intField: 0 }));
    row.intField = 1;
    await repo.save(row);
    row.createdAt = new Date(Date.now() + 60_000);
    const error = await refusal(repo.save(row));
    expect(error).toMatchObject({ kind: 'read_only', protection: 'read_only', fields: ['created_at'] });
    expect((await repo.findOneByOrFail({ id: row.id })).intField).toBe(1);
  });

  it('a condition over OLD and NEW protects several fields', async () => {
    const repo = dataSource.getRepository(ReadOnlyFields);
    const row = await repo.save(repo.create({ intField: 0 }));
    await repo.update(row.id, { note: 'fine' });
    expect((await refusal(repo.update(row.id, { intField: 5 }))).protection).toBe('multiple_read_only');
    expect(await repo.findOneByOrFail({ id: row.id })).toMatchObject({ intField: 0, note: 'fine' });
  });

  it('soft delete keeps the row with the flag set, and history records the update', async () => {
    const repo = dataSource.getRepository(SoftDeleteModel);
    const row = await repo.save(repo.create({ isActive: true }));
    const id = row.id;
    await repo.remove(row);
    expect((await repo.findOneByOrFail({ id })).isActive).toBe(false);
    const { rows } = await db.pool.query(`SELECT operation, changes FROM rowtrail.event WHERE table_name = 'public.soft_delete' ORDER BY event_id`);
    expect(rows).toEqual([{ operation: 'INSERT', changes: { id, is_active: true } }, { operation: 'UPDATE', changes: { is_active: [true, false] } }]);
  });

  it('versioned goes 0 → 1 → 1 (redundant update) → 2 and refuses direct edits', async () => {
    const repo = dataSource.getRepository(VersionedModel);
    let row = await repo.save(repo.create({ version: 0, charField: 'hello' }));
    const versions = [row.version];
    row.charField = 'hi';
    await repo.save(row);
    row = await repo.findOneByOrFail({ id: row.id });
    versions.push(row.version);
    await repo.update(row.id, { charField: 'hi' }); // a redundant UPDATE reaches the database
    row = await repo.findOneByOrFail({ id: row.id });
    versions.push(row.version);
    row.charField = 'new field';
    await repo.save(row);
    row = await repo.findOneByOrFail({ id: row.id });
    versions.push(row.version);
    expect(versions).toEqual([0, 1, 1, 2]);
    row.version = 1;
    expect(await refusal(repo.save(row))).toMatchObject({ kind: 'versioned', fields: ['version'] });
  });

  it('FSM allows the listed transitions and refuses others', async () => {
    const repo = dataSource.getRepository(FsmModel);
    const row = await repo.save(repo.create({}));
    expect(row.status).toBe('unpublished');
    row.status = 'published';
    await repo.save(row);
    row.status = 'inactive';
    await repo.save(row);
    row.status = 'published';
    const error = await refusal(repo.save(row));
    expect(error).toMatchObject({ kind: 'fsm', protection: 'validate_status_transitions', transition: { from: 'inactive', to: 'published' } });
    expect((await repo.findOneByOrFail({ id: row.id })).status).toBe('inactive');
  });

  it('an official create works only inside ignore()', async () => {
    const repo = dataSource.getRepository(OfficialInterface);
    const officialCreate = () => ignore('official_interface:protect_inserts', () => repo.save(repo.create({})));
    const before = await repo.count();
    expect((await refusal(repo.save(repo.create({})))).protection).toBe('protect_inserts');
    expect(await repo.count()).toBe(before);
    const created = await officialCreate();
    expect(created.id).toBeGreaterThan(0);
    expect(await repo.count()).toBe(before + 1);
    expect((await refusal(repo.save(repo.create({})))).protection).toBe('protect_inserts'); // the scope has ended
  });

  it('a custom trigger runs its function under its condition', async () => {
    const repo = dataSource.getRepository(Coupon);
    const row = await repo.save(repo.create({ code: 'spring' }));
    await repo.save(repo.create({ code: null }));
    expect((await repo.findOneByOrFail({ id: row.id })).code).toBe('SPRING');
    await repo.update(row.id, { code: 'summer' });
    expect((await repo.findOneByOrFail({ id: row.id })).code).toBe('SUMMER');
  });

  it('install is idempotent for protections', async () => {
    expect((await installTracked(dataSource)).updatedProtections).toEqual([]);
  });
});
