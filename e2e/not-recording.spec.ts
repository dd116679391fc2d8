import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// A table whose changes are no longer recorded (untracked from the command line, its history kept) says so on the
// overview and on its records' pages, so whoever asks "why did nothing change lately?" is not misled; its history stays readable.
const table = `paused_${Date.now()}`; // a table of its own, also when a running demo is reused

test.afterAll(() => removeTrackedTable(`public.${table}`));

test('the overview and the record page mark a table whose changes are not recorded now, and its history stays readable', async ({ page }) => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, note text)`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`INSERT INTO public.${table} VALUES (1, 'recorded')`);
  } finally {
    await client.end();
  }

  await openDashboard(page);
  const cards = page.getByRole('list', { name: 'Tracked tables' }).getByRole('listitem');
  const card = cards.filter({ has: page.getByRole('link', { name: table, exact: true }) });
  await expect(card).toContainText('1 events');
  await expect(card).not.toContainText('not recorded');

  expect(rowtrailCli('untrack', `public.${table}`)).toContain(`Stopped tracking public.${table}`);
  await page.reload();
  await expect(card.getByText('Changes not recorded now')).toBeVisible();
  // the demo's own tables are recorded as before
  await expect(cards.filter({ hasText: 'Changes not recorded now' })).toHaveCount(1);
  await screenshot(page, 'overview-not-recording');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).include('.table-cards').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), colorScheme).toEqual([]);
  }

  await card.getByRole('link', { name: table, exact: true }).click();
  await expect(page.locator('ol.feed > li')).toHaveCount(1);
  await expect(page.locator('ol.feed > li').first()).toContainText('recorded');

  // The record's own page says so too, above its versions, named either way the API accepts
  for (const name of [`public.${table}`, table]) {
    await page.evaluate((h) => { window.location.hash = h; }, `#/records/${name}?key=${encodeURIComponent('{"id":1}')}`);
    await expect(page.locator('article.version')).toHaveCount(1);
    await expect(page.getByRole('status').filter({ hasText: 'Changes to this table are not recorded now' })).toBeVisible();
  }
  await screenshot(page, 'record-not-recording');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).include('.not-recording').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), colorScheme).toEqual([]);
  }
  // a record of a table that is recorded has no such notice
  await page.evaluate((h) => { window.location.hash = h; }, `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.locator('article.version').first()).toBeVisible();
  await expect(page.getByText('not recorded now')).toHaveCount(0);
});
