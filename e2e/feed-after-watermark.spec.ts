import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { api, feedItems, openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// Chained exports from the dashboard: the watermark of one export's header, pasted into the feed's "After export"
// field, shows and exports exactly the changes committed since. A table of its own, removed afterwards, so the
// demo's tables stay as later specs expect them.
const table = `after_watermark_${Date.now()}`;
const qualified = `public.${table}`;
test.afterAll(() => removeTrackedTable(qualified));

interface ExportDocument { watermark: string; selection: { filter: Record<string, unknown> }; events: { eventId: string; operation: string }[] }

async function downloadFeed(page: Page): Promise<ExportDocument> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export feed as JSON' }).click()]);
  return JSON.parse(readFileSync((await file.path())!, 'utf8')) as ExportDocument;
}

async function write(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

test('the watermark of an earlier export, pasted into the feed filters, shows and exports only what committed since', async ({ page, request }) => {
  await write(`CREATE TABLE ${qualified} (id int PRIMARY KEY, note text)`);
  rowtrailCli('install', '--table', qualified);
  await write(`INSERT INTO ${qualified} VALUES (1, 'first')`);

  await openDashboard(page, `#/?table=${qualified}`);
  await expect(feedItems(page)).toHaveCount(1);
  const first = await downloadFeed(page);
  expect(first.events.map((e) => e.operation)).toEqual(['INSERT']);
  expect(first.watermark).toMatch(/^\d+:\d+:/);

  await write(`UPDATE ${qualified} SET note = 'second' WHERE id = 1`, `INSERT INTO ${qualified} VALUES (2, 'other')`);
  const since = await api<{ events: { eventId: string }[] }>(request, `/api/events?table=${qualified}&after=${first.watermark}`);
  expect(since.events).toHaveLength(2);

  await page.reload();
  await expect(feedItems(page)).toHaveCount(3);
  const after = page.getByRole('textbox', { name: 'After export (its watermark)' });
  await after.fill(first.watermark);
  const note = page.locator('.export-note');
  await expect(note).toContainText('Filter changes not applied yet');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`after=${first.watermark.replaceAll(':', '(:|%3A)')}`));
  await expect(feedItems(page)).toHaveCount(2);
  expect(await feedItems(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')))).toEqual(since.events.map((e) => e.eventId));
  await expect(note).toHaveText(`Exports the applied filters: table ${table}; committed after the export with watermark ${first.watermark}.`);
  await screenshot(page, 'feed-after-watermark');

  // The next export of the chain holds the two new changes, oldest first, and its watermark continues the chain.
  const second = await downloadFeed(page);
  expect(second.selection.filter).toEqual({ tables: [qualified], after: first.watermark });
  expect(second.events.map((e) => e.eventId)).toEqual([...since.events].reverse().map((e) => e.eventId));
  const third = await api<{ events: unknown[] }>(request, `/api/events?table=${qualified}&after=${second.watermark}`);
  expect(third.events).toHaveLength(0);

  // The filter survives a reload (it is in the link) and Clear removes it.
  await page.reload();
  await expect(after).toHaveValue(first.watermark);
  await expect(feedItems(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(after).toHaveValue('');
  await expect(page).not.toHaveURL(/after=/);
});

test('a pasted value that is not a watermark is explained under the field and not applied', async ({ page }) => {
  await openDashboard(page);
  await expect(feedItems(page).first()).toBeVisible();
  const after = page.getByRole('textbox', { name: 'After export (its watermark)' });
  await after.fill('2026-12-01');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(after).toBeFocused();
  await expect(after).toHaveAttribute('aria-invalid', 'true');
  await expect(after).toHaveAccessibleDescription(/^Not a watermark: paste the "watermark" of an earlier export's header/);
  expect(new URL(page.url()).hash).not.toContain('after=');
  await screenshot(page, 'feed-after-watermark-invalid');

  // Typing again clears the error; a hand-edited link with a bad watermark shows the feed and says what was ignored.
  await after.fill('7');
  await expect(after).not.toHaveAttribute('aria-invalid', 'true');
  await page.evaluate(() => { window.location.hash = '#/?after=9:3:'; });
  const notice = page.getByRole('alert').filter({ hasText: 'ignored' });
  await expect(notice).toContainText('after=9:3: (not a watermark');
  await expect(feedItems(page).first()).toBeVisible();

  // A watermark this database has not reached (another cluster's, say) would show nothing, forever: the API refuses it
  // and the feed says why instead of "No changes match".
  await page.evaluate(() => { window.location.hash = '#/?after=3:999999999999:'; });
  for (const region of ['Recent changes', 'Activity']) {
    await expect(page.getByRole('region', { name: region, exact: true }).locator('.status-warning'))
      .toContainText('Cannot show this. after: watermark "3:999999999999:" is ahead of this database');
  }
  await expect(feedItems(page)).toHaveCount(0);
});
