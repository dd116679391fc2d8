// A schema migration that renames a column a versioned or soft-delete protection names makes every UPDATE (the
// version's increment) or DELETE (the soft delete's mark) of the table fail until the protection is declared with the
// new name and installed again. Through a Rowtrail-wired DataSource the error says so.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SoftDelete, Versioned } from './protection-decorators.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';

@Versioned({ name: 'ver', field: 'version' })
@SoftDelete({ name: 'keep', field: 'active', value: false })
@Entity({ name: 'stale_guarded' })
class StaleGuarded {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) note!: string;
  @Column({ type: 'integer', default: 1 }) version!: number;
  @Column({ type: 'boolean', default: true }) active!: boolean;
}

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('stale_protection', [StaleGuarded]);
  await opened.dataSource.query(`INSERT INTO stale_guarded (id, note) VALUES (1, 'a')`);
  await opened.db.pool.query(`ALTER TABLE stale_guarded RENAME COLUMN version TO rev`);
  await opened.db.pool.query(`ALTER TABLE stale_guarded RENAME COLUMN active TO live`);
});
afterAll(() => opened?.close());

describe('a write refused by a protection function installed before its column was renamed', () => {
  it('names Rowtrail, the function and the remedy, keeping PostgreSQL\'s SQLSTATE and message', async () => {
    const failure = (sql: string) => opened.dataSource.query(sql).then(() => undefined, (e: unknown) => e as { message: string; driverError: { code: string } });
    const update = await failure(`UPDATE stale_guarded SET note = 'b' WHERE id = 1`);
    expect(update?.driverError.code).toBe('42703');
    expect(update?.message).toMatch(/^record "new" has no field "version" \(Rowtrail: the table's columns changed since its protection function rowtrail\.stale_guarded_ver_bump_[0-9a-f]{10} was installed; declare the protection with the columns' current names and install it again/);
    const remove = await failure(`DELETE FROM stale_guarded WHERE id = 1`);
    expect(remove?.driverError.code).toBe('42703');
    expect(remove?.message).toMatch(/^column "active" of relation "stale_guarded" does not exist \(Rowtrail: the table's columns changed since its protection function rowtrail\.stale_guarded_keep_soft_delete_[0-9a-f]{10} was installed;/);
    // another statement's unknown column is PostgreSQL's error as it was
    const own = await failure(`UPDATE stale_guarded SET nope = 1`);
    expect(own?.message).toBe('column "nope" of relation "stale_guarded" does not exist');
  });
});
