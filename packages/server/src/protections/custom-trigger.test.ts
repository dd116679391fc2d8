// Custom triggers: ignore() skips them whether func is statements or a full DECLARE/BEGIN block; a full block may start
// with comments; a row-level one on truncate is refused.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { ignore } from './ignore.js';
import { mapProtectionError } from './protection-error.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
let app: pg.Pool;

const spec: ProtectedTableSpec = {
  schema: 'public', table: 'product', primaryKey: ['id'],
  protections: [
    { kind: 'trigger', name: 'upper_code', when: 'before', operations: ['insert', 'update'], func: 'NEW.code := upper(NEW.code); RETURN NEW;' },
    {
      kind: 'trigger', name: 'count_block', when: 'before', operations: ['insert'],
      func: `DECLARE\n  extra int := 1;\nBEGIN\n  NEW.n := NEW.n + extra;\n  RETURN NEW;\nEND; -- the block's own end`,
    },
    {
      kind: 'trigger', name: 'labelled_block', when: 'after', operations: ['delete'], level: 'statement',
      func: `<<outer>>\nBEGIN\n  RAISE EXCEPTION 'deletes go through the archive';\nEND outer`,
    },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase('custom_trigger');
  await db.pool.query(`CREATE TABLE product (id int PRIMARY KEY, code text, n int NOT NULL DEFAULT 0)`);
  await install(db.pool, [], { protections: [spec] });
  const driver = createContextDriver(pg, { mapError: mapProtectionError });
  app = new driver.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

describe('custom triggers', () => {
  it('run their statements or full block', async () => {
    await app.query(`INSERT INTO product VALUES (1, 'ab', 0)`);
    expect((await db.pool.query(`SELECT code, n FROM product WHERE id = 1`)).rows).toEqual([{ code: 'AB', n: 1 }]);
    await expect(app.query(`DELETE FROM product`)).rejects.toThrow(/archive/);
  });

  it('are skipped inside ignore(), full blocks included', async () => {
    await ignore(['upper_code', 'count_block'], () => app.query(`INSERT INTO product VALUES (2, 'cd', 0)`));
    expect((await db.pool.query(`SELECT code, n FROM product WHERE id = 2`)).rows).toEqual([{ code: 'cd', n: 0 }]);
    await ignore('count_block', () => app.query(`INSERT INTO product VALUES (3, 'ef', 0)`));
    expect((await db.pool.query(`SELECT code, n FROM product WHERE id = 3`)).rows).toEqual([{ code: 'EF', n: 0 }]);
    await ignore('product:labelled_block', () => app.query(`DELETE FROM product WHERE id = 3`));
    expect((await db.pool.query(`SELECT id FROM product ORDER BY id`)).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('custom trigger bodies that start with a comment', () => {
  it('are full blocks when a DECLARE or BEGIN follows the comments, and statements otherwise', async () => {
    await db.pool.query(`CREATE TABLE gadget (id int PRIMARY KEY, code text, n int NOT NULL DEFAULT 0)`);
    // triggers of one timing fire in name order: a_, b_, c_, d_
    await install(db.pool, [], {
      protections: [{
        schema: 'public', table: 'gadget', primaryKey: ['id'],
        protections: [
          { kind: 'trigger', name: 'a_line_comment', when: 'before', operations: ['insert'], func: '-- uppercase\nBEGIN NEW.code := upper(NEW.code); RETURN NEW; END' },
          {
            kind: 'trigger', name: 'b_block_comments', when: 'before', operations: ['insert'],
            func: '/* adds one */ -- then\n  /* a /* nested */ comment */\nDECLARE extra int := 1; BEGIN NEW.n := NEW.n + extra; RETURN NEW; END;',
          },
          { kind: 'trigger', name: 'c_statements', when: 'before', operations: ['insert'], func: '-- BEGIN is a word of this comment\nNEW.n := NEW.n * 10; RETURN NEW;' },
          { kind: 'trigger', name: 'd_labelled', when: 'before', operations: ['insert'], func: '/* labelled */ <<outer>> BEGIN NEW.n := NEW.n + 2; RETURN NEW; END outer' },
        ],
      }],
    });
    await db.pool.query(`INSERT INTO gadget (id, code) VALUES (1, 'ab')`);
    expect((await db.pool.query(`SELECT code, n FROM gadget`)).rows).toEqual([{ code: 'AB', n: 12 }]);
  });
});

describe('a row-level custom trigger on truncate', () => {
  it('is refused before anything is installed, naming the protection and table', async () => {
    await db.pool.query(`CREATE TABLE crate (id int PRIMARY KEY)`);
    const crate = (level?: 'row' | 'statement'): ProtectedTableSpec => ({
      schema: 'public', table: 'crate', primaryKey: ['id'],
      protections: [{ kind: 'trigger', name: 'on_truncate', when: 'after', operations: ['delete', 'truncate'], ...(level ? { level } : {}), func: 'RETURN NULL;' }],
    });
    const message = 'Rowtrail: protection "on_truncate" on public.crate: a row-level trigger cannot fire on TRUNCATE (it has no rows); declare it with level \'statement\', or trigger on truncate separately';
    await expect(install(db.pool, [], { protections: [crate()] })).rejects.toThrow(message);
    await expect(install(db.pool, [], { protections: [crate('row')] })).rejects.toThrow(message);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'crate'::regclass`)).rows).toEqual([{ n: 0 }]);
    await install(db.pool, [], { protections: [crate('statement')] });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'crate'::regclass`)).rows).toEqual([{ n: 1 }]);
  });
});
