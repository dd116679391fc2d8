// `rowtrail status` and `prune` with the DataSources of two applications on one database: one's status and prune leave
// the other's tables alone; --data-source repeated takes them together; prune --other-applications removes the other's.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';

const FIRST = fileURLToPath(new URL('../../typeorm/protection-cli-fixture.ts', import.meta.url));
const SECOND = fileURLToPath(new URL('../../typeorm/second-app-cli-fixture.ts', import.meta.url));
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_several_data_sources');
  await db.pool.query(`CREATE TABLE ticket (id int PRIMARY KEY, state text NOT NULL DEFAULT 'open'); CREATE TABLE invoice (id int PRIMARY KEY, total int NOT NULL)`);
});
afterAll(async () => {
  await db.drop();
});

const cli = (args: string[]) => runCli(args, { ROWTRAIL_FIXTURE_URL: db.url });
const triggers = async (table: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`, [table])).rows[0].n;

describe('rowtrail status / prune with two applications on one database', () => {
  it("leaves the other application's tables alone, takes repeated --data-source together, and removes them when asked", async () => {
    for (const module of [FIRST, SECOND]) expect((await cli(['install', '--data-source', module])).code).toBe(0);
    const invoiceTriggers = await triggers('invoice');
    expect(invoiceTriggers).toBeGreaterThan(5); // capture and protection

    const first = await cli(['status', '--check', '--data-source', FIRST]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^installed\s+trigger\s+public\.invoice\s+rowtrail_capture_insert {2}declared by another application \(with public\.invoice\); not this one's to prune/m);
    expect(first.stdout).toMatch(/\nEverything is installed\.\n$/);

    const pruned = await cli(['prune', '--data-source', FIRST]);
    expect(pruned.stdout).toBe('Nothing to prune.\n');
    expect(await triggers('invoice')).toBe(invoiceTriggers);

    const both = await cli(['status', '--json', '--data-source', FIRST, '--data-source', SECOND]);
    const { entries, upToDate } = JSON.parse(both.stdout) as { entries: Array<{ declaredWith?: string[] }>; upToDate: boolean };
    expect(upToDate).toBe(true);
    expect(entries.filter((e) => e.declaredWith)).toEqual([]);

    const removed = await cli(['prune', '--data-source', FIRST, '--other-applications']);
    expect(removed.stdout).toMatch(/^removed\s+trigger\s+public\.invoice\s+rowtrail_capture_insert/m);
    expect(await triggers('invoice')).toBe(0);
  });
});
