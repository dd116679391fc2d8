import { expect, test } from '@playwright/test';
import pg from 'pg';
import { openDashboard } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// An update that changes a record's primary key is filed under the new key. Opened at its old key, the record's page
// listed only its versions from before, ending on its creation: as if it were still there, unchanged.
const table = `moved_${Date.now()}`; // a table of its own, also when a running demo is reused

test.afterAll(() => removeTrackedTable(`public.${table}`));

test('a record whose key changed says so at its old key, linking to its history under the new one', async ({ page }) => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, note text)`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`INSERT INTO public.${table} VALUES (3, 'created'), (4, 'stays')`);
    await client.query(`UPDATE public.${table} SET id = 300 WHERE id = 3`);
  } finally {
    await client.end();
  }
  await openDashboard(page, `#/records/public.${table}?key=${encodeURIComponent('{"id":3}')}`);
  await expect(page).toHaveTitle(`${table} id 3 · Rowtrail`);
  const notice = page.locator('.moved-away');
  await expect(notice).toContainText("This record's key changed to id 300.");
  await expect(page.locator('article.version')).toHaveCount(1);
  await notice.getByRole('link', { name: 'id 300' }).click();
  await expect(page.locator('article.version').first()).toContainText('key changed from id 3');
  await expect(page.locator('.moved-away')).toHaveCount(0);

  // a record whose key never changed has no such notice
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/records/public.${table}?key=${encodeURIComponent('{"id":4}')}`);
  await expect(page).toHaveTitle(`${table} id 4 · Rowtrail`);
  await expect(page.locator('article.version')).toHaveCount(1);
  await expect(page.locator('.moved-away')).toHaveCount(0);
});
