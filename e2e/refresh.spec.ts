import { expect, test } from '@playwright/test';
import pg from 'pg';
import { feedItems, openDashboard } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// A support person watching a change being made: the pages keep what they read for 30 seconds, so the header's
// Refresh reads it again, without a reload that would lose the page's place.
const table = `refreshed_${Date.now()}`; // a table of its own, also when a running demo is reused

test.afterAll(() => removeTrackedTable(`public.${table}`));

test('Refresh shows a change made after the page was read, on the feed and on the record page', async ({ page }) => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, note text)`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`INSERT INTO public.${table} VALUES (1, 'first')`);

    await openDashboard(page, `#/?table=public.${table}`);
    await expect(feedItems(page)).toHaveCount(1);
    await client.query(`UPDATE public.${table} SET note = 'second' WHERE id = 1`);
    // read 30 seconds ago at most: the feed still shows what it read
    await page.evaluate((h) => { window.location.hash = h; }, `#/?table=public.${table}&operation=INSERT`);
    await page.goBack();
    await expect(feedItems(page)).toHaveCount(1);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(feedItems(page)).toHaveCount(2);
    await expect(feedItems(page).first()).toContainText('second');
    await expect(page.getByRole('status').filter({ hasText: /^Updated / })).toBeVisible();

    await page.evaluate((h) => { window.location.hash = h; }, `#/records/public.${table}?key=${encodeURIComponent('{"id":1}')}`);
    await expect(page.locator('article.version')).toHaveCount(2);
    await client.query(`UPDATE public.${table} SET note = 'third' WHERE id = 1`);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.locator('article.version')).toHaveCount(3);
    await expect(page.locator('article.version').first()).toContainText('third');
  } finally {
    await client.end();
  }
});

test.describe('a viewer in Los Angeles', () => {
  test.use({ timezoneId: 'America/Los_Angeles' });

  test('Refresh says when it failed, and when it updated, with the time zone of the time', async ({ page }) => {
    await openDashboard(page);
    await expect(feedItems(page).first()).toBeVisible();
    const status = page.getByRole('status').filter({ hasText: /^(Updated|Refresh failed)/ });

    // The server answers every API request with an error: the page keeps what it read, and must not say it updated.
    await page.route(/\/api\//, (route) => route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'The server failed.' } } }));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(status).toHaveText(/^Refresh failed at .+ (PST|PDT)$/, { timeout: 15_000 }); // after the queries' retries
    await expect(page.getByText(/^Updated /)).toHaveCount(0);

    await page.unrouteAll({ behavior: 'wait' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(status).toHaveText(/^Updated .+ (PST|PDT)$/);
  });
});
