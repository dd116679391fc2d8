// Two DataSources on one database, each with its own @Tracked entities and protections: neither one's status reports
// the other's capture or protections as orphaned, nor does its prune drop them (docs/lifecycle.md, "Several
// applications on one database"). Each install records which tables it declares together (rowtrail.declaration).
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { Protect, ReadOnly } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';
import { planTrackedMigration, pruneTracked, trackedStatus } from './tracked-lifecycle.js';
import { withRowtrail } from './with-rowtrail.js';
import type { StatusEntry } from '../lifecycle/status.js';

@Tracked()
@Entity({ name: 'doc' })
class Doc {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) title!: string;
}

@Tracked()
@Entity({ name: 'dropped' })
class Dropped {
  @PrimaryColumn({ type: 'integer' }) id!: number;
}

@Tracked()
@ReadOnly({ name: 'fixed_code', fields: ['code'] })
@Entity({ name: 'other' })
class Other {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'integer' }) v!: number;
}

@Protect({ name: 'keep_rows', operations: ['delete'] })
@Entity({ name: 'locked' })
class Locked {
  @PrimaryColumn({ type: 'integer' }) id!: number;
}

@Tracked()
@Entity({ name: 'fresh' })
class Fresh {
  @PrimaryColumn({ type: 'integer' }) id!: number;
}

let db: TestDatabase;
let earlier: DataSource; // the first application as it was: Doc and Dropped
let first: DataSource; // the first application now: Doc (Dropped no longer declared)
let second: DataSource; // another application: Other, tracked and protected, and Locked, protected
const open = async (entities: Function[]) => {
  const dataSource = new DataSource(withRowtrail({ type: 'postgres', url: db.url, entities, synchronize: true, poolSize: 2 }));
  await dataSource.initialize();
  return dataSource;
};

beforeAll(async () => {
  db = await createTestDatabase('two_data_sources');
  earlier = await open([Doc, Dropped]);
  first = await open([Doc]);
  second = await open([Other, Locked]);
  await installTracked(earlier);
  await installTracked(second);
  await installTracked(first);
});
afterAll(async () => {
  for (const dataSource of [earlier, first, second]) await dataSource?.destroy();
  await db?.drop();
});

const notInstalled = (entries: StatusEntry[]) => entries.filter((e) => e.state !== 'installed').map((e) => `${e.state} ${e.kind} ${e.table} ${e.name}`);
const triggersOf = async (table: string) =>
  (await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY 1`, [table])).rows.map((r) => r.tgname);

describe('two DataSources on one database', () => {
  it("status leaves the other DataSource's tables alone, and still reports the table this one stopped declaring", async () => {
    const { entries, upToDate } = await trackedStatus(first);
    expect(upToDate).toBe(false);
    expect(notInstalled(entries).filter((e) => !e.includes('dropped'))).toEqual([]);
    expect(notInstalled(entries)).toEqual(expect.arrayContaining(['orphaned trigger public.dropped rowtrail_capture_insert', 'orphaned history-table public.dropped rowtrail.dropped_history']));
    const foreign = entries.filter((e) => e.table === 'public.other' || e.table === 'public.locked');
    expect(foreign.length).toBeGreaterThan(6); // capture, history table and protections of both
    for (const e of foreign) {
      expect(e).toMatchObject({ state: 'installed', declaredWith: ['public.locked', 'public.other'] });
      expect(e.detail).toContain('declared by another application (with public.locked, public.other)');
    }
    expect((await db.pool.query(`SELECT table_name, declared_with FROM rowtrail.declaration ORDER BY 1`)).rows).toEqual([
      { table_name: 'public.doc', declared_with: ['public.doc'] },
      { table_name: 'public.dropped', declared_with: ['public.doc', 'public.dropped'] },
      { table_name: 'public.locked', declared_with: ['public.locked', 'public.other'] },
      { table_name: 'public.other', declared_with: ['public.locked', 'public.other'] },
    ]);
  });

  it("prune removes what this DataSource stopped declaring and keeps the other's capture and protections", async () => {
    const before = { other: await triggersOf('other'), locked: await triggersOf('locked') };
    const removed = await pruneTracked(first);
    expect([...new Set(removed.map((e) => e.table))]).toEqual(['public.dropped']);
    expect(await triggersOf('dropped')).toEqual([]);
    expect(await triggersOf('other')).toEqual(before.other);
    expect(await triggersOf('locked')).toEqual(before.locked);
    // the other application's writes are still recorded, and its protections still refuse
    await second.getRepository(Other).insert({ id: 1, code: 'a', v: 1 });
    await second.getRepository(Other).update({ id: 1 }, { v: 2 });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.other_history`)).rows[0].n).toBe(2);
    await expect(second.getRepository(Other).update({ id: 1 }, { code: 'b' })).rejects.toThrow();
    await second.getRepository(Locked).insert({ id: 1 });
    await expect(second.getRepository(Locked).delete({ id: 1 })).rejects.toThrow();
  });

  it('takes several DataSources together', async () => {
    const both = await trackedStatus([first, second]);
    expect(both.entries.filter((e) => e.declaredWith)).toEqual([]);
    expect(notInstalled(both.entries)).toEqual(['orphaned history-table public.dropped rowtrail.dropped_history']);
    expect((await pruneTracked([first, second], { dropHistory: true })).map((e) => e.name)).toEqual(['rowtrail.dropped_history']);
    expect((await trackedStatus([first, second])).upToDate).toBe(true);
    expect((await trackedStatus(first)).upToDate).toBe(true);
    expect((await trackedStatus(second)).upToDate).toBe(true);
  });

  it('counts the objects of a table with no declaration row (installed before core version 23) as orphaned, as before', async () => {
    await db.pool.query(`DELETE FROM rowtrail.declaration WHERE table_name IN ('public.other', 'public.locked')`);
    const { entries } = await trackedStatus(first);
    expect(notInstalled(entries)).toEqual(expect.arrayContaining(['orphaned trigger public.other rowtrail_capture_insert', 'orphaned history-table public.other rowtrail.other_history']));
    await installTracked(second); // records them again
    expect((await trackedStatus(first)).upToDate).toBe(true);
  });

  it("removes the other application's objects when asked (otherApplications), which its next install puts back", async () => {
    const removed = await pruneTracked(first, { otherApplications: true });
    expect([...new Set(removed.map((e) => e.table))].sort()).toEqual(['public.locked', 'public.other']);
    expect(await triggersOf('other')).toEqual([]);
    // its history, kept, is orphaned now for everyone
    expect(notInstalled((await trackedStatus(first)).entries)).toEqual(['orphaned history-table public.other rowtrail.other_history']);
    await installTracked(second);
    expect((await trackedStatus(first)).upToDate).toBe(true);
    expect((await trackedStatus(second)).upToDate).toBe(true);
  });

  it('records the tables a generated migration declares, and its down removes the record', async () => {
    const third = await open([Fresh]);
    try {
      const plan = await planTrackedMigration(third);
      for (const sql of plan.up) await db.pool.query(sql);
      expect((await db.pool.query(`SELECT declared_with FROM rowtrail.declaration WHERE table_name = 'public.fresh'`)).rows).toEqual([{ declared_with: ['public.fresh'] }]);
      expect((await trackedStatus(first)).upToDate).toBe(true);
      expect((await planTrackedMigration(third)).up).toEqual([]);
      for (const sql of plan.down) await db.pool.query(sql);
      expect((await db.pool.query(`SELECT 1 FROM rowtrail.declaration WHERE table_name = 'public.fresh'`)).rows).toEqual([]);
    } finally {
      await third.destroy();
    }
  });

  it('refuses DataSources of different databases', async () => {
    const elsewhere = await createTestDatabase('two_data_sources_elsewhere');
    const other = new DataSource(withRowtrail({ type: 'postgres', url: elsewhere.url, entities: [Doc], poolSize: 1 }));
    await other.initialize();
    try {
      await expect(trackedStatus([first, other])).rejects.toThrow('Rowtrail: trackedStatus: the DataSources given are not on the same database');
    } finally {
      await other.destroy();
      await elsewhere.drop();
    }
  });
});
