// An entity that names no schema is stored where TypeORM puts it: the DataSource's `schema`, else the connection's
// current schema. With a search_path of its own (or a schema named after the login role, which PostgreSQL's default
// search_path "$user", public finds first) that is not public, and Rowtrail must track and protect that table, not a
// table of the same name in public.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { run } from '../context/request-context.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { Protect } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';
import { trackedStatus } from './tracked-lifecycle.js';
import { withRowtrail } from './with-rowtrail.js';

@Tracked()
@Protect({ name: 'keep_members', operations: ['delete'] })
@Entity({ name: 'member' })
class Member {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) email!: string;
}

let db: TestDatabase;
let dataSource: DataSource;
beforeAll(async () => {
  db = await createTestDatabase('default_schema');
  await db.pool.query(`CREATE SCHEMA app`);
  // a leftover table of the same name in public, which must be left alone
  await db.pool.query(`CREATE TABLE public.member (id integer PRIMARY KEY, email text)`);
  dataSource = new DataSource(withRowtrail({
    type: 'postgres', url: db.url, entities: [Member], synchronize: true, extra: { options: '-c search_path=app' },
  }));
  await dataSource.initialize();
});
afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

describe('an entity without a schema, on a connection whose current schema is not public', () => {
  it("tracks and protects TypeORM's table in that schema", async () => {
    const installed = await installTracked(dataSource);
    expect(installed.updatedTables).toEqual(['app.member']);
    const { rows: tracked } = await db.pool.query(`SELECT table_name FROM rowtrail.tracked_table`);
    expect(tracked).toEqual([{ table_name: 'app.member' }]);

    const members = dataSource.getRepository(Member);
    const saved = await run({ user: 'ann' }, () => members.save({ email: 'ann@example.com' }));
    const { rows: events } = await db.pool.query(
      `SELECT e.table_name, e.operation, c.metadata ->> 'user' AS "user" FROM rowtrail.event e JOIN rowtrail.context c ON c.id = e.context_id`);
    expect(events).toEqual([{ table_name: 'app.member', operation: 'INSERT', user: 'ann' }]);
    await expect(members.delete({ id: saved.id })).rejects.toThrow(/cannot delete rows from table app\.member \(protection "keep_members"\)/);
    expect((await trackedStatus(dataSource)).upToDate).toBe(true);

    // public.member has neither a capture nor a protection
    const { rows: triggers } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'public.member'::regclass AND NOT tgisinternal`);
    expect(triggers).toEqual([{ n: 0 }]);
  });
});
