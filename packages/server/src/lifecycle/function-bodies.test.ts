import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { changedFunctions, generatedFunctions } from './function-bodies.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('function_bodies');
});
afterAll(() => db.drop());

// A setting written in any case (datestyle, "DateStyle") is stored under its own spelling in pg_proc.proconfig.
const statement = `CREATE OR REPLACE FUNCTION "public"."f"() RETURNS trigger LANGUAGE plpgsql SET jit = off SET datestyle = 'ISO, MDY' SET "IntervalStyle" = 'postgres' SET application_name = 'it''s' AS $body$
BEGIN RETURN NULL; END
$body$`;

describe('changedFunctions', () => {
  it('reads the SET clauses of a generated function, names in lower case', () => {
    expect(generatedFunctions([statement]).get('"public"."f"()')).toEqual({
      body: '\nBEGIN RETURN NULL; END\n', config: ['jit=off', 'datestyle=ISO, MDY', 'intervalstyle=postgres', "application_name=it's"],
    });
  });

  it('finds a function whose body or settings changed, whatever case the settings were written in', async () => {
    await db.pool.query(statement);
    const { rows: [{ proconfig }] } = await db.pool.query(`SELECT proconfig FROM pg_proc WHERE proname = 'f'`);
    expect(proconfig).toContain('DateStyle=ISO, MDY');
    const client = await db.pool.connect();
    try {
      expect(await changedFunctions(client, [statement])).toEqual([]);
      await client.query(`ALTER FUNCTION f() SET "DateStyle" = 'SQL, DMY'`);
      expect(await changedFunctions(client, [statement])).toEqual(['"public"."f"()']);
      await client.query(statement);
      await client.query(`ALTER FUNCTION f() RESET ALL`);
      expect(await changedFunctions(client, [statement])).toEqual(['"public"."f"()']);
      await client.query(statement);
      await client.query(statement.replace('RETURN NULL', 'RETURN NEW'));
      expect(await changedFunctions(client, [statement])).toEqual(['"public"."f"()']);
    } finally {
      client.release();
    }
  });
});
