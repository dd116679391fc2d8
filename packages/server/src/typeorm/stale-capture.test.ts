// A schema migration that drops or renames a tracked column makes every write of the table fail until Rowtrail's
// capture is installed again (docs/lifecycle.md). Through a Rowtrail-wired DataSource the error says so.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Tracked } from './tracked-decorator.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';

@Tracked()
@Entity({ name: 'stale_item' })
class StaleItem {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) legacy!: string | null;
}

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('stale_capture', [StaleItem]);
  await opened.dataSource.query(`INSERT INTO stale_item (id, name) VALUES (1, 'a')`);
});
afterAll(() => opened?.close());

describe('a write refused by a capture installed before a column was dropped', () => {
  it('names Rowtrail and the remedy, keeping PostgreSQL\'s SQLSTATE and message', async () => {
    await opened.db.pool.query(`ALTER TABLE stale_item DROP COLUMN legacy`);
    for (const sql of [`UPDATE stale_item SET name = 'b' WHERE id = 1`, `INSERT INTO stale_item (id, name) VALUES (2, 'c')`, `DELETE FROM stale_item WHERE id = 1`,
      `UPDATE stale_item SET id = 3 WHERE id = 1`]) { // a key change: the key-change trigger's OLD has no such field
      const error = await opened.dataSource.query(sql).then(() => undefined, (e: unknown) => e as { message: string; driverError: { code: string } });
      expect(error?.driverError.code, sql).toBe('42703');
      expect(error?.message, sql).toMatch(/^(column [onr]\.legacy does not exist|record "(old|new)" has no field "legacy") \(Rowtrail: the table's columns changed since its history capture rowtrail\.stale_item_history_(update|insert|delete|key_change) was installed; run installTracked\(\)/);
    }
    // another statement's unknown column is PostgreSQL's error as it was
    const own = await opened.dataSource.query(`SELECT o.nope FROM stale_item o`).then(() => undefined, (e: unknown) => e as Error);
    expect(own?.message).toBe('column o.nope does not exist');
  });
});
