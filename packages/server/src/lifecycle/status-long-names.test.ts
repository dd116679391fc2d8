// A spec written in code may name a table longer than PostgreSQL's 63 bytes: PostgreSQL keeps it cut there, and
// status compared its triggers' table (as the catalog has it) with the uncut name, so it called the capture orphaned
// and prune dropped it, every later write then going unrecorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogTableSpec } from '../install/catalog-table-spec.js';
import { install, installDeclared } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec, protectedTable } from '../testing/tracked-spec.js';
import { prune } from './prune.js';
import { databaseStatus } from './database-status.js';
import { status, type StatusEntry } from './status.js';

const table = 'a_really_long_entity_table_name_that_goes_on_and_on_and_on_forever_x';
const spec = idValueSpec(table);
const protections = protectedTable(table, { kind: 'read_only', name: 'read_only', fields: ['v'] });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('status_long_names');
  await db.pool.query(`CREATE TABLE "${table}" (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [spec], { protections });
});
afterAll(() => db.drop());

describe('a tracked table whose name, as declared, is longer than 63 bytes', () => {
  it('is installed for status, and prune keeps its capture and protections', async () => {
    expect((await status(db.pool, [spec], { protections })).entries.filter((e) => e.state !== 'installed')).toEqual([]);
    expect(await prune(db.pool, [spec], { protections })).toEqual([]);
    await db.pool.query(`INSERT INTO "${table}" VALUES (1, 'a')`);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.event`)).rows[0].n).toBe(1);
    await expect(db.pool.query(`UPDATE "${table}" SET v = 'b'`)).rejects.toThrow(/read-only|read_only/i);
  });
});

describe('a table installed under its uncut name, then declared under the name PostgreSQL kept', () => {
  // what an entity's @Tracked installed before entity specs cut long names: the next install continues that history
  it('has its history moved to the kept name by install, nothing orphaned', async () => {
    const uncut = 'another_really_long_entity_table_name_that_goes_on_and_on_forever_x';
    const cut = uncut.slice(0, 63);
    await db.pool.query(`CREATE TABLE "${uncut}" (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [spec, idValueSpec(uncut)], { protections });
    await db.pool.query(`INSERT INTO "${uncut}" VALUES (1, 'a')`);

    const declared = [spec, idValueSpec(cut)];
    await install(db.pool, declared, { protections });
    await db.pool.query(`UPDATE "${uncut}" SET v = 'b'`);
    expect((await status(db.pool, declared, { protections })).entries.filter((e) => e.state !== 'installed')).toEqual([]);
    const { rows } = await db.pool.query(`SELECT table_name, operation FROM rowtrail.event WHERE table_name LIKE 'public.another%' ORDER BY event_id`);
    expect(rows).toEqual([{ table_name: `public.${cut}`, operation: 'INSERT' }, { table_name: `public.${cut}`, operation: 'UPDATE' }]);
    expect((await db.pool.query(`SELECT table_name FROM rowtrail.tracked_table`)).rows.map((r) => r.table_name).sort()).toEqual([`public.${table}`, `public.${cut}`].sort());
  });
});

describe('a table tracked with install --table whose default history name is longer than 63 bytes', () => {
  // install --table builds its capture with the default history name, fitted with a hash: status must expect that DDL
  it('is installed for status, with the entities and from the database alone', async () => {
    const name = `${'a'.repeat(62)}1`;
    await db.pool.query(`CREATE TABLE ${name} (id int PRIMARY KEY, v text)`);
    await installDeclared(db.pool, [(await catalogTableSpec(db.pool, name))!], {}, 'catalog');
    const notInstalled = (entries: StatusEntry[]) => entries.filter((e) => e.table.endsWith(name) && e.state !== 'installed');
    expect(notInstalled((await status(db.pool, [spec], { protections })).entries)).toEqual([]);
    expect(notInstalled((await databaseStatus(db.pool)).entries)).toEqual([]);
  });
});
