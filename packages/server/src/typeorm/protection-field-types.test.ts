// Protections on json / point columns of a TypeORM entity: the spec carries column types, so they install and work.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import type { TestDatabase } from '../testing/test-database.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { FSM, ReadOnly } from './protection-decorators.js';
import { protectedTableSpecs } from './protection-specs.js';

@ReadOnly({ name: 'frozen_settings', fields: ['settings', 'origin'] })
@FSM({ name: 'stage_flow', field: 'stage', transitions: [['"draft"', '"live"']] })
@Entity({ name: 'widget' })
class Widget {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'json' }) settings!: unknown;
  @Column({ type: 'point' }) origin!: string;
  @Column({ type: 'json' }) stage!: unknown;
  @Column({ type: 'text' }) note!: string;
}

let db: TestDatabase;
let dataSource: DataSource;

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('protection_field_types_typeorm', [Widget], 2);
  ({ db, dataSource } = opened);
});
afterAll(() => opened?.close());

describe('protections on json and point columns (TypeORM)', () => {
  it('passes column types in the spec and installs working triggers', async () => {
    expect(protectedTableSpecs(dataSource)[0].columns).toEqual(expect.arrayContaining([{ name: 'settings', type: 'json' }, { name: 'origin', type: 'point' }]));
    const repo = dataSource.getRepository(Widget);
    await repo.insert({ id: 1, settings: { a: 1 }, origin: '(1,2)', stage: 'draft', note: 'x' });
    await expect(repo.update(1, { settings: { a: 2 } })).rejects.toMatchObject({ protection: 'frozen_settings' });
    await expect(repo.update(1, { origin: '(5,5)' })).rejects.toMatchObject({ protection: 'frozen_settings' });
    await repo.update(1, { note: 'y' });
    await expect(repo.update(1, { stage: 'gone' })).rejects.toMatchObject({ protection: 'stage_flow' });
    await repo.update(1, { stage: 'live' });
    expect(await repo.findOneByOrFail({ id: 1 })).toMatchObject({ note: 'y', stage: 'live' });
  });
});
