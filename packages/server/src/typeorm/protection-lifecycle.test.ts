// Lifecycle through TypeORM: status, generated migrations (up and down), schema drift.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, type MigrationInterface } from 'typeorm';
import type { RowtrailStatus } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { ReadOnly } from './protection-decorators.js';
import { generateTrackedMigration, trackedStatus } from './tracked-lifecycle.js';
import { Tracked } from './tracked-decorator.js';
import { withRowtrail } from './with-rowtrail.js';

@Tracked()
@ReadOnly({ name: 'frozen', fields: ['title'] })
@Entity({ name: 'article' })
class ArticleV1 {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'integer', default: 0 }) rating!: number;
  @Column({ type: 'text', nullable: true }) legacy!: string | null;
}

// The next release: gains "subtitle", loses "legacy", "rating" becomes numeric, "subtitle" joins the read-only fields.
@Tracked()
@ReadOnly({ name: 'frozen', fields: ['title', 'subtitle'] })
@Entity({ name: 'article' })
class ArticleV2 {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'numeric', precision: 4, scale: 1, default: 0 }) rating!: string;
  @Column({ type: 'text', nullable: true }) subtitle!: string | null;
}

let db: TestDatabase;
let dir: string;
const sources: DataSource[] = [];

async function open(entity: Function, migrations: Function[] = []): Promise<DataSource> {
  const ds = new DataSource(withRowtrail({ type: 'postgres', url: db.url, entities: [entity], migrations, synchronize: migrations.length === 0, poolSize: 2 }));
  sources.push(await ds.initialize());
  return ds;
}

/** Generates the migration for this entity, imports its class and runs it with TypeORM's migration runner. */
async function generateAndRun(entity: Function, name: string): Promise<{ runner: DataSource; file: string }> {
  const ds = await open(entity);
  const { path } = await generateTrackedMigration(ds, { dir, name, timestamp: Date.now() });
  expect(path).toBeDefined();
  const module = (await import(path!)) as Record<string, new () => MigrationInterface>;
  const runner = await open(entity, Object.values(module));
  expect(await runner.runMigrations({ transaction: 'all' })).toHaveLength(1);
  return { runner, file: path! };
}

const notInstalled = (s: RowtrailStatus) => s.entries.filter((e) => e.state !== 'installed').map((e) => `${e.kind} ${e.name}: ${e.state}`);

beforeAll(async () => {
  db = await createTestDatabase('protection_lifecycle');
  dir = await mkdtemp(join(tmpdir(), 'rowtrail-migrations-'));
});
afterAll(async () => {
  for (const ds of sources) if (ds.isInitialized) await ds.destroy();
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

describe('generated migrations', () => {
  it('installs from missing, undoes, and installs again', async () => {
    const ds = await open(ArticleV1);
    const before = await trackedStatus(ds);
    expect(before.entries.filter((e) => e.state !== 'missing')).toEqual([]);

    const { runner } = await generateAndRun(ArticleV1, 'RowtrailInstall');
    expect(notInstalled(await trackedStatus(ds))).toEqual([]);
    await runner.undoLastMigration({ transaction: 'all' });
    expect((await trackedStatus(ds)).entries.every((e) => e.state === 'missing')).toBe(true);
    await runner.runMigrations({ transaction: 'all' });
    expect(notInstalled(await trackedStatus(ds))).toEqual([]);

    const repo = ds.getRepository(ArticleV1);
    const a = await repo.save(repo.create({ title: 'Hello', rating: 3, legacy: 'old-system' }));
    await repo.update(a.id, { rating: 4 });
    await expect(repo.update(a.id, { title: 'Renamed' })).rejects.toMatchObject({ protection: 'frozen' });
  });

  it('reports drift, and the generated migration brings history up to date keeping old history readable', async () => {
    const v2 = await open(ArticleV2); // synchronize: the application's own schema migration
    const drifted = await trackedStatus(v2);
    const history = drifted.entries.find((e) => e.kind === 'history-table');
    expect(history).toMatchObject({ state: 'outdated', drift: { added: ['subtitle'], dropped: ['legacy'], retyped: [{ name: 'rating', from: 'integer', to: 'numeric' }] } });
    expect(notInstalled(drifted)).toEqual(['history-table rowtrail.article_history: outdated', 'capture capture: outdated', 'protection frozen: outdated']);

    const { runner } = await generateAndRun(ArticleV2, 'RowtrailDrift');
    expect(notInstalled(await trackedStatus(v2))).toEqual([]);

    const repo = v2.getRepository(ArticleV2);
    const b = await repo.save(repo.create({ title: 'Second', rating: '4.5', subtitle: 'new' }));
    await expect(repo.update(b.id, { subtitle: 'changed' })).rejects.toMatchObject({ protection: 'frozen', fields: ['subtitle'] });
    const { rows } = await db.pool.query(
      `SELECT rowtrail_operation AS op, id, title, rating, rating__integer AS old_rating, legacy, subtitle FROM rowtrail.article_history ORDER BY rowtrail_event_id`);
    expect(rows).toEqual([
      { op: 'INSERT', id: 1, title: 'Hello', rating: null, old_rating: 3, legacy: 'old-system', subtitle: null },
      { op: 'UPDATE', id: 1, title: 'Hello', rating: null, old_rating: 4, legacy: 'old-system', subtitle: null },
      { op: 'INSERT', id: b.id, title: 'Second', rating: '4.5', old_rating: null, legacy: null, subtitle: 'new' },
    ]);

    // down restores the previous protection definition (outdated for V2 again); up brings it back
    await runner.undoLastMigration({ transaction: 'all' });
    expect(notInstalled(await trackedStatus(v2))).toContain('protection frozen: outdated');
    await runner.runMigrations({ transaction: 'all' });
    expect(notInstalled(await trackedStatus(v2))).toEqual([]);
  });
});
