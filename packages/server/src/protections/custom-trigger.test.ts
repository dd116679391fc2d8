// Custom triggers: ignore() skips them whether func is statements or a full DECLARE/BEGIN block.
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
