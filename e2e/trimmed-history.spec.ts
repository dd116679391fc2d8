import { expect, test } from '@playwright/test';
import pg from 'pg';
import { openDashboard } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// After `rowtrail trim-history`, a record's timeline starts at its last version before the cutoff: its end says the
// record existed before its history starts, so nobody takes that update for the record's creation.
const table = `retained_${Date.now()}`; // a table of its own, also when a running demo is reused

test.afterAll(() => removeTrackedTable(`public.${table}`));

test('a record whose older history was trimmed says its oldest version is not its creation', async ({ page }) => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  let cutoff: string;
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, note text)`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`INSERT INTO public.${table} VALUES (1, 'created')`);
    await client.query(`UPDATE public.${table} SET note = 'edited' WHERE id = 1`); // its last version before the cutoff: kept
    cutoff = (await client.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)).rows[0].t;
    await client.query(`UPDATE public.${table} SET note = 'kept' WHERE id = 1`);
  } finally {
    await client.end();
  }
  expect(rowtrailCli('trim-history', '--before', cutoff, '--table', `public.${table}`, '--reason', 'e2e retention', '--yes'))
    .toContain(`Deleted 1 event of public.${table} before ${cutoff} (rowtrail.${table}_history), keeping the last version before it of 1 record`);

  await openDashboard(page, `#/records/public.${table}?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.locator('article.version')).toHaveCount(2);
  await expect(page.locator('article.version .badge')).toHaveText(['update', 'update']);
  await expect(page.getByText('2 versions · oldest recorded version reached: the record existed before its history starts', { exact: false })).toBeVisible();
});
