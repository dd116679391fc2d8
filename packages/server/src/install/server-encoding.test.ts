import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabaseWhenIdle } from '../database/drop-database.js';
import { withDatabase } from '../database/start-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

// Rowtrail needs a UTF-8 database: a LATIN1 one is refused before anything is installed, naming the encoding,
// rather than failing halfway through the core SQL on a character LATIN1 lacks.
const serverUrl = inject('databaseUrl');
const name = `rowtrail_test_latin1_${randomBytes(4).toString('hex')}`;
let pool: pg.Pool;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  pool = new pg.Pool({ connectionString: withDatabase(serverUrl, name), max: 2 });
  await pool.query('CREATE TABLE note (id integer PRIMARY KEY, v text)');
});
afterAll(async () => {
  await pool.end();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await dropDatabaseWhenIdle(admin, name);
  await admin.end();
});

describe('install into a database not encoded in UTF-8', () => {
  it('is refused, naming the database and its encoding, and installs nothing', async () => {
    await expect(install(pool, [idValueSpec('note')])).rejects.toThrow(
      `Rowtrail: the database "${name}" is encoded in LATIN1, and Rowtrail needs a UTF-8 database (request contexts travel as UTF-8 in every statement; a character LATIN1 lacks would fail its request's statements); nothing was installed. Create the database with ENCODING 'UTF8'`);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'rowtrail'`);
    expect(rows[0].n).toBe(0);
    const triggers = await pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'note'::regclass`);
    expect(triggers.rows[0].n).toBe(0);
  });
});
