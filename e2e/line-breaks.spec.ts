import { expect, test } from '@playwright/test';
import pg from 'pg';
import { openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// A note's layout is part of what a support person reads: its line breaks are drawn as line breaks, and a line break
// removed or added by an update is marked in the word diff (which used to call it unchanged text, or drop it).
const table = `line_breaks_${Date.now()}`;
const recordPage = (id: number) => `#/records/public.${table}?key=${encodeURIComponent(JSON.stringify({ id }))}`;
const NOTE = 'Deliver to 5 Main St\nDo NOT ship before noon, ring twice at the back door';

test.afterAll(() => removeTrackedTable(`public.${table}`));

test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, notes text)`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`INSERT INTO public.${table} VALUES (1, $1), (2, $2)`, [NOTE, 'line one\nline two']);
    await client.query(`UPDATE public.${table} SET notes = $1 WHERE id = 1`, [NOTE.replace('St\n', 'Street ')]);
    await client.query(`UPDATE public.${table} SET notes = $1 WHERE id = 2`, ['line one\nline 2']);
  } finally {
    await client.end();
  }
});

test('a text value shows its line breaks, and the word diff marks a line break that was removed', async ({ page }) => {
  await openDashboard(page, recordPage(1));
  const versions = page.locator('article.version');
  await expect(versions).toHaveCount(2);

  // the update: St↵ struck through, Street added; the rest unchanged
  const notes = versions.first().locator('.field-change[data-column="notes"]');
  const removed = notes.locator('del');
  await expect(removed).toHaveText('St↵');
  await expect(removed.getByRole('img', { name: 'line break' })).toBeVisible();
  await expect(notes.locator('ins')).toHaveText('Street');

  // the inserted row: its note on two lines, as it was written (innerText is the text as the page lays it out)
  const cell = versions.last().locator('table.snapshot tr[data-column="notes"] td .value');
  expect(await cell.evaluate((element) => (element as HTMLElement).innerText)).toBe(NOTE);
  await screenshot(page, 'value-line-breaks');

  // a short change, old → new: both sides keep their line breaks
  await page.evaluate((hash) => { window.location.hash = hash; }, recordPage(2));
  const short = page.locator('article.version').first().locator('.field-change[data-column="notes"]');
  await expect(short.locator('.value.new')).toHaveText('line one\nline 2', { useInnerText: true });
  expect(await short.locator('.value.old').evaluate((element) => (element as HTMLElement).innerText)).toBe('line one\nline two');
});
