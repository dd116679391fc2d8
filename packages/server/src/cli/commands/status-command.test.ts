import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';

const FIXTURE = fileURLToPath(new URL('../../typeorm/protection-cli-fixture.ts', import.meta.url));
let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase('cli_lifecycle');
  await db.pool.query(`CREATE TABLE ticket (id int PRIMARY KEY, state text NOT NULL DEFAULT 'open')`);
  dir = await mkdtemp(join(tmpdir(), 'rowtrail-cli-migrations-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const cli = (args: string[], variant = '1') => runCli([...args, '--data-source', FIXTURE], { ROWTRAIL_FIXTURE_URL: db.url, ROWTRAIL_FIXTURE_VARIANT: variant });

describe('rowtrail status / migration:generate / prune', () => {
  it('reports missing objects, generates a migration, and reports outdated ones after a definition change', async () => {
    const missing = await cli(['status', '--check']);
    expect(missing.stderr).toBe('');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^missing\s+protection\s+public\.ticket\s+ticket_flow$/m);

    const generated = await cli(['migration:generate', '--dir', dir, '--name', 'TicketHistory']);
    expect(generated.code).toBe(0);
    const path = /Migration (\S+) generated/.exec(generated.stdout)![1];
    const source = await readFile(path, 'utf8');
    expect(source).toMatch(/export class TicketHistory\d+ implements MigrationInterface/);
    expect(source).toContain('async down(queryRunner: QueryRunner)');
    expect(source).toContain('rowtrail_protect_ticket_flow');

    // apply it as a migration runner would, then status is clean
    const [Migration] = Object.values(await import(path)) as Array<new () => { up(q: { query(sql: string): Promise<unknown> }): Promise<void> }>;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await new Migration().up({ query: (sql: string) => client.query(sql) });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const installed = await cli(['status', '--check']);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('Everything is installed.');

    const outdated = await cli(['status', '--json'], '2');
    const entries = JSON.parse(outdated.stdout).entries as Array<{ kind: string; name: string; state: string }>;
    expect(entries.filter((e) => e.state !== 'installed')).toEqual([{ kind: 'protection', table: 'public.ticket', name: 'ticket_flow', state: 'outdated' }]);
    expect((await cli(['migration:generate', '--dir', dir])).stdout).toMatch(/No changes/);
  });

  it('prunes orphaned triggers', async () => {
    await db.pool.query(`CREATE TRIGGER rowtrail_protect_gone BEFORE DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION rowtrail.protect('gone', 'protect')`);
    expect((await cli(['status'])).stdout).toMatch(/^orphaned\s+trigger\s+public\.ticket\s+rowtrail_protect_gone$/m);
    const pruned = await cli(['prune']);
    expect(pruned.stdout).toContain('Pruned 1 object(s).');
    expect((await cli(['status', '--check'])).code).toBe(0);
  });
});
