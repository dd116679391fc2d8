// An entity may name a table or column longer than PostgreSQL's 63 bytes: PostgreSQL keeps the name cut there (between
// characters), and TypeORM's queries reach it under the long name (PostgreSQL cuts those too). Rowtrail must know the
// table by the name PostgreSQL kept: status compared the catalog with the uncut name and called the table's capture
// orphaned, and prune dropped it.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReadOnly } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';
import { trackedTableSpecs } from './entity-spec.js';
import { pruneTracked, trackedStatus, planTrackedMigration } from './tracked-lifecycle.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { historySince } from './test-history.js';
import { recordHistory } from '../query/record-history.js';

const LONG_TABLE = 'a_really_long_entity_table_name_that_goes_on_and_on_and_on_forever_x';
const LONG_COLUMN = 'a_really_long_column_name_that_goes_on_and_on_and_on_forever_and_more';
// 32 two-byte characters: byte 63 falls inside the last one, so PostgreSQL keeps 31 of them
const LONG_KEY = 'the_identifier_of_this_record_spelled_out_in_a_name_longer_than_the_limit';
const WIDE_TABLE = 'ä'.repeat(32);

@Tracked({ ignoreChanges: ['note'] })
@ReadOnly({ fields: ['code'] })
@Entity({ name: LONG_TABLE })
class LongNamed {
  @PrimaryColumn({ type: 'integer', name: LONG_KEY }) id!: number;
  @Column({ type: 'text', name: LONG_COLUMN }) value!: string;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'text', default: 'c' }) code!: string;
}

@Tracked()
@Entity({ name: WIDE_TABLE })
class WideNamed {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) value!: string;
}

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('long_table_name', [LongNamed, WideNamed]);
});
afterAll(() => opened?.close());

describe('an entity whose table and column names are longer than 63 bytes', () => {
  it('is specified under the names PostgreSQL kept', () => {
    const specs = trackedTableSpecs(opened.dataSource);
    expect(specs.map((s) => s.table)).toEqual([LONG_TABLE.slice(0, 63), 'ä'.repeat(31)]);
    expect(specs[0].primaryKey).toEqual([LONG_KEY.slice(0, 63)]);
    expect(specs[0].columns.map((c) => c.name)).toEqual([LONG_KEY.slice(0, 63), LONG_COLUMN.slice(0, 63), 'note', 'code']);
  });

  it('is reported installed by status, and prune leaves its capture and protections alone', async () => {
    const { dataSource, db } = opened;
    const status = await trackedStatus(dataSource);
    expect(status.entries.filter((e) => e.state !== 'installed')).toEqual([]);
    expect(await pruneTracked(dataSource)).toEqual([]);
    expect((await planTrackedMigration(dataSource)).up).toEqual([]);

    const repository = dataSource.getRepository(LongNamed);
    await repository.save({ id: 1, value: 'a', note: null });
    await repository.update({ id: 1 }, { value: 'b' });
    await dataSource.getRepository(WideNamed).save({ id: 1, value: 'w' });
    const history = (await historySince(db.pool)).map((h) => [h.table_name, h.operation, h.changes]);
    expect(history).toEqual([
      [`public.${LONG_TABLE.slice(0, 63)}`, 'INSERT', { [LONG_KEY.slice(0, 63)]: 1, [LONG_COLUMN.slice(0, 63)]: 'a', note: null, code: 'c' }],
      [`public.${LONG_TABLE.slice(0, 63)}`, 'UPDATE', { [LONG_COLUMN.slice(0, 63)]: ['a', 'b'] }],
      [`public.${'ä'.repeat(31)}`, 'INSERT', { id: 1, value: 'w' }],
    ]);
    await expect(repository.update({ id: 1 }, { code: 'd' })).rejects.toThrow(/read-only/i);
  });

  it('has its history read under the name the entity gives it as well as under the kept one', async () => {
    const { db } = opened;
    for (const name of [LONG_TABLE, LONG_TABLE.slice(0, 63), `public.${LONG_TABLE}`]) {
      const { events } = await recordHistory(db.pool, name, { [LONG_KEY.slice(0, 63)]: 1 });
      expect(events.map((e) => e.operation), name).toEqual(['UPDATE', 'INSERT']);
    }
  });
});
