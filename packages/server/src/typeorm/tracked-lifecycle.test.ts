// A generated migration refuses a table that does not match its entity as installTracked() does: naming the entity
// that declares it (docs/lifecycle.md, "Install").
import 'reflect-metadata';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { installTracked } from './install-tracked.js';
import { Tracked } from './tracked-decorator.js';
import { generateTrackedMigration, planTrackedMigration } from './tracked-lifecycle.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';

@Tracked()
@Entity({ name: 'origin_customer' })
class OriginCustomer {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) nickname!: string | null;
}

let opened: TrackedTestDatabase;
let dir: string;
beforeAll(async () => {
  opened = await openTrackedDatabase('tracked_lifecycle_origin', [OriginCustomer]);
  dir = await mkdtemp(join(tmpdir(), 'rowtrail-origin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await opened?.close();
});

describe('the migration path names the entity of a table it refuses', () => {
  it('names it for a column the table lacks, as installTracked() does, and writes no file', async () => {
    await opened.db.pool.query(`ALTER TABLE origin_customer RENAME COLUMN nickname TO alias`);
    try {
      const message = 'Rowtrail: cannot track table public.origin_customer, the table of entity OriginCustomer: column nickname is not in the table.';
      await expect(installTracked(opened.dataSource)).rejects.toThrow(message);
      await expect(planTrackedMigration(opened.dataSource)).rejects.toThrow(message);
      await expect(generateTrackedMigration(opened.dataSource, { dir })).rejects.toThrow(message);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await opened.db.pool.query(`ALTER TABLE origin_customer RENAME COLUMN alias TO nickname`);
    }
  });

  it('names it for a table that does not exist (yet)', async () => {
    await opened.db.pool.query(`ALTER TABLE origin_customer RENAME TO origin_customer_later`);
    try {
      await expect(planTrackedMigration(opened.dataSource)).rejects.toThrow(
        'Rowtrail: cannot track table public.origin_customer, the table of entity OriginCustomer: it does not exist; create it first (run the migration that creates it)');
    } finally {
      await opened.db.pool.query(`ALTER TABLE origin_customer_later RENAME TO origin_customer`);
    }
    expect((await planTrackedMigration(opened.dataSource)).up).toEqual([]);
  });
});
