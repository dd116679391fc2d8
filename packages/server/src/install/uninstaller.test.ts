import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';
import { untrack } from '../lifecycle/untrack.js';
import { uninstall } from './uninstaller.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('uninstaller');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE SCHEMA shop; CREATE TABLE shop.orders (id serial PRIMARY KEY); INSERT INTO shop.orders DEFAULT VALUES`);
});
afterAll(() => db.drop());

const count = async (sql: string) => (await db.pool.query(sql)).rows[0].n as number;
const exists = async (name: string) => (await db.pool.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [name])).rows[0].e as boolean;
const rowtrailTriggersOnItem = () => count(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'item'::regclass AND NOT tgisinternal`);
const protections = { protections: [{ schema: 'public', table: 'item', primaryKey: ['id'], protections: [{ kind: 'protect' as const, name: 'no_deletes', operations: ['delete' as const] }] }] };

describe('uninstall', () => {
  it('refuses a schema that is not a Rowtrail installation, and drops nothing', async () => {
    await expect(uninstall(db.pool, { schema: 'shop' }))
      .rejects.toThrow('schema "shop" is not a Rowtrail installation (it has no Rowtrail migrations and tracked_table registry): nothing was removed');
    await expect(uninstall(db.pool, { schema: 'public' })).rejects.toThrow('schema "public" is not a Rowtrail installation');
    expect(await count(`SELECT count(*)::int AS n FROM shop.orders`)).toBe(1);
  });

  it('removes an installation that holds only its own objects, with its protections; a schema that does not exist is nothing to do', async () => {
    // a table untracked earlier keeps its registry row and history, but has no capture triggers to remove
    await db.pool.query(`CREATE TABLE gone (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [idValueSpec('item'), idValueSpec('gone')], { schema: 'audit', ...protections });
    await untrack(db.pool, ['public.gone'], { schema: 'audit' });
    await db.pool.query(`INSERT INTO item VALUES (1, 'a')`);
    await expect(db.pool.query(`DELETE FROM item`)).rejects.toThrow();
    expect(await uninstall(db.pool, { schema: 'audit' })).toEqual({ removedTables: ['public.item'], keptObjects: [] });
    expect((await db.pool.query(`SELECT to_regnamespace('audit') AS s`)).rows[0].s).toBeNull();
    expect(await rowtrailTriggersOnItem()).toBe(0);
    expect(await uninstall(db.pool, { schema: 'audit' })).toEqual({ removedTables: [], keptObjects: [] });
  });

  it('refuses while objects of others depend on Rowtrail\'s (a view, a foreign key, a column default), and drops nothing', async () => {
    await install(db.pool, [idValueSpec('item')], { schema: 'audit', ...protections });
    await db.pool.query(`CREATE VIEW item_changes AS SELECT event_id, operation FROM audit.event`);
    await db.pool.query(`CREATE TABLE table_note (tracked text REFERENCES audit.tracked_table, seen bigint DEFAULT nextval('audit.event_id_seq'))`);
    await db.pool.query(`CREATE VIEW audit.recent AS SELECT event_id FROM audit.event`);
    await expect(uninstall(db.pool, { schema: 'audit' })).rejects.toThrow(
      'will not uninstall from schema "audit": default value for public.table_note.seen, table constraint table_note_tracked_fkey on public.table_note, '
      + 'view audit.recent, view public.item_changes depend on Rowtrail\'s objects there, and uninstalling would drop or change them with them; drop or change them first. Nothing was removed');
    expect(await exists('item_changes')).toBe(true);
    expect(await exists('audit.item_history')).toBe(true);
    expect(await rowtrailTriggersOnItem()).toBeGreaterThan(0);
    await db.pool.query(`DROP VIEW item_changes; DROP VIEW audit.recent; DROP TABLE table_note`);
  });

  it('removes only Rowtrail\'s objects from a schema that also holds others\', and keeps the schema with them', async () => {
    // an application's table, function and an enum whose values an application column holds
    await db.pool.query(`CREATE TABLE audit.notes (id int); INSERT INTO audit.notes VALUES (1)`);
    await db.pool.query(`CREATE FUNCTION audit.shout(text) RETURNS text LANGUAGE sql AS 'SELECT upper($1)'`);
    await db.pool.query(`CREATE TYPE audit.mood AS ENUM ('ok'); CREATE TABLE mood_log (id int, mood audit.mood); INSERT INTO mood_log VALUES (1, 'ok')`);
    expect(await uninstall(db.pool, { schema: 'audit' })).toEqual({
      removedTables: ['public.item'],
      keptObjects: ['function audit.shout(pg_catalog.text)', 'table audit.notes', 'type audit.mood'],
    });
    expect(await count(`SELECT count(*)::int AS n FROM audit.notes`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM mood_log WHERE mood = 'ok'`)).toBe(1);
    expect(await rowtrailTriggersOnItem()).toBe(0);
    await db.pool.query(`DELETE FROM item`);
    const left = await db.pool.query(`SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'audit'::regnamespace ORDER BY 1`);
    expect(left.rows.map((r) => r.relname)).toEqual(['notes']);
    const functions = await db.pool.query(`SELECT proname FROM pg_proc WHERE pronamespace = 'audit'::regnamespace ORDER BY 1`);
    expect(functions.rows.map((r) => r.proname)).toEqual(['shout']);
  });

  it('keeps an application\'s partition and its own overload of a core function\'s name; and a schema name that needs quoting', async () => {
    await install(db.pool, [idValueSpec('item')], { schema: 'Audit Log' });
    await db.pool.query(`CREATE TABLE reading (day date, v int) PARTITION BY RANGE (day)`);
    await db.pool.query(`CREATE TABLE "Audit Log".reading_2024 PARTITION OF reading FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`);
    await db.pool.query(`INSERT INTO reading VALUES ('2024-05-01', 1)`);
    await db.pool.query(`CREATE FUNCTION "Audit Log".context_id(tenant int) RETURNS int LANGUAGE sql AS 'SELECT tenant'`);
    expect(await uninstall(db.pool, { schema: 'Audit Log' })).toEqual({
      removedTables: ['public.item'],
      keptObjects: ['function "Audit Log".context_id(integer)', 'table "Audit Log".reading_2024'],
    });
    expect(await count(`SELECT count(*)::int AS n FROM reading`)).toBe(1);
    expect((await db.pool.query(`SELECT "Audit Log".context_id(7) AS t`)).rows[0].t).toBe(7);
    expect(await exists('"Audit Log".tracked_table')).toBe(false);
    await db.pool.query(`DROP TABLE reading; DROP SCHEMA "Audit Log" CASCADE`);
  });

  it('removes an installation an earlier version made in public, keeping the application\'s tables there', async () => {
    // as an earlier version left it: Rowtrail's tables among the application's (made here by renaming schemas)
    const other = await createTestDatabase('uninstaller_public');
    try {
      await other.pool.query(`CREATE TABLE account (id int PRIMARY KEY, v text); INSERT INTO account VALUES (1, 'a')`);
      await install(other.pool, [idValueSpec('account')], { schema: 'rt' });
      await other.pool.query(`INSERT INTO account VALUES (2, 'b')`);
      await other.pool.query(`ALTER SCHEMA public RENAME TO app; ALTER SCHEMA rt RENAME TO public; ALTER TABLE app.account SET SCHEMA public; DROP SCHEMA app`);
      await other.pool.query(`UPDATE public.tracked_table SET table_name = 'public.account'`);
      expect(await uninstall(other.pool, { schema: 'public' })).toEqual({ removedTables: ['public.account'], keptObjects: ['table public.account'] });
      expect((await other.pool.query(`SELECT count(*)::int AS n FROM account`)).rows[0].n).toBe(2);
      const { rows } = await other.pool.query(`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'S') ORDER BY 1`);
      expect(rows.map((r) => r.relname)).toEqual(['account']);
    } finally {
      await other.drop();
    }
  });
});
