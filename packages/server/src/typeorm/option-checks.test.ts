import 'reflect-metadata';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../context/request-context.js';
import { installTracked } from './install-tracked.js';
import { generateTrackedMigration, planTrackedMigration, pruneTracked, trackedStatus } from './tracked-lifecycle.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { Tracked } from './tracked-decorator.js';

// A misspelt option was ignored: @Tracked({ exclud: ['passwordHash'] }) recorded the password hash into append-only
// history, installTracked(ds, { shcema: 'audit' }) installed into "rowtrail".
@Tracked({ exclude: ['secret'] })
@Entity({ name: 'option_member' })
class OptionMember {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) secret!: string;
}

let t: TrackedTestDatabase;
beforeAll(async () => {
  t = await openTrackedDatabase('option_checks', [OptionMember]);
});
afterAll(() => t?.close());

const decorate = (options: unknown) => {
  class Decorated {}
  Tracked(options as never)(Decorated);
};

describe('options are checked, naming what is wrong', () => {
  it('@Tracked refuses an unknown option, a value of the wrong kind, and a column both excluded and ignored', () => {
    expect(() => decorate({ exclud: ['passwordHash'] }))
      .toThrow('Rowtrail: @Tracked on Decorated: exclud: is not an option (those are exclude, ignoreChanges, label, manyToMany)');
    expect(() => decorate({ exclude: 'passwordHash' }))
      .toThrow('Rowtrail: @Tracked on Decorated: exclude: must be an array of property (or column) names, got "passwordHash"');
    expect(() => decorate({ label: ' ' })).toThrow('Rowtrail: @Tracked on Decorated: label: must be a non-empty string, got " "');
    expect(() => decorate({ exclude: ['token'], ignoreChanges: ['token', 'updatedAt'] }))
      .toThrow('Rowtrail: @Tracked on Decorated: token in both exclude and ignoreChanges');
    expect(() => decorate({ exclude: ['token'], ignoreChanges: ['updatedAt'], label: 'member', manyToMany: [] })).not.toThrow();
  });

  it('the DataSource functions refuse an unknown option before touching the database', async () => {
    await expect(installTracked(t.dataSource, { shcema: 'audit' } as never))
      .rejects.toThrow('Rowtrail: installTracked: shcema: is not an option (those are schema, snapshotTableName)');
    await expect(installTracked(t.dataSource, { schema: '' })).rejects.toThrow('Rowtrail: installTracked: schema: must be a schema name (a non-empty string), got ""');
    await expect(trackedStatus(t.dataSource, { snapshotTableName: 'x' } as never)).rejects.toThrow('Rowtrail: trackedStatus: snapshotTableName: must be a function');
    await expect(planTrackedMigration(t.dataSource, { dir: '/tmp' } as never)).rejects.toThrow('Rowtrail: planTrackedMigration: dir: is not an option');
    await expect(pruneTracked(t.dataSource, { dropHistory: 'yes' } as never)).rejects.toThrow('Rowtrail: pruneTracked: dropHistory: must be true or false, got "yes"');
    const dir = await mkdtemp(join(tmpdir(), 'rowtrail-options-'));
    await expect(generateTrackedMigration(t.dataSource, { dir, langauge: 'js' } as never)).rejects.toThrow('Rowtrail: generateTrackedMigration: langauge: is not an option');
    expect(await readdir(dir)).toEqual([]);
    expect((await trackedStatus(t.dataSource, { schema: 'rowtrail' })).upToDate).toBe(true);
    expect((await generateTrackedMigration(t.dataSource, { dir, name: 'Rowtrail', language: 'js' })).path).toBeUndefined();
  });

  it('run() refuses a Map or Set in the context (JSON would store {}), and writes nothing', async () => {
    const repository = t.dataSource.getRepository(OptionMember);
    expect(() => run({ user: 'ann', tags: new Set(['a']) }, () => repository.insert({ id: 1, secret: 's' })))
      .toThrow('Rowtrail: the request context holds a Set, which JSON would store as {} and lose its entries');
    expect(() => run(new Map([['user', 'ann']]) as never, () => repository.insert({ id: 1, secret: 's' }))).toThrow('holds a Map');
    expect(await repository.count()).toBe(0);
  });
});
