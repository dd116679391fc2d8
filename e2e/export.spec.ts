import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { E2E_TOKEN } from './support/e2e-settings.js';
import { demoFacts, feedItems, openDashboard, screenshot } from './support/dashboard.js';

/** Clicks an export button and returns the downloaded document. */
async function download(page: Page, button: string): Promise<{ name: string; body: Record<string, unknown> }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), body: JSON.parse(readFileSync((await file.path())!, 'utf8')) };
}

/** The same export straight from the API; exportedAt differs between two exports, everything else must not. */
async function apiExport(page: Page, query: string): Promise<Record<string, unknown>> {
  const response = await page.request.get(`/api/export?format=json&${query}`, { headers: { Authorization: `Bearer ${E2E_TOKEN}` } });
  expect(response.ok()).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

// When each export ran: its time, and its watermark (the snapshot it read), which any transaction committed between the
// two exports moves on, an autovacuum's ANALYZE included
const withoutWhenRun = ({ exportedAt, watermark, ...rest }: Record<string, unknown>) => {
  expect(typeof exportedAt).toBe('string');
  expect(watermark).toMatch(/^\d+:\d+:(\d+(,\d+)*)?$/);
  return rest;
};

test('exports a record as JSON equal to the API export', async ({ page }) => {
  const key = '{"id":1}';
  await openDashboard(page, `#/records/public.customer?key=${encodeURIComponent(key)}`);
  await expect(page.locator('article.version')).toHaveCount(2);
  const file = await download(page, 'Export record as JSON');
  expect(file.name).toMatch(/^rowtrail-.*\.json$/);
  const expected = await apiExport(page, `table=public.customer&key=${encodeURIComponent(key)}`);
  expect(withoutWhenRun(file.body)).toEqual(withoutWhenRun(expected));
  expect((file.body.events as unknown[]).length).toBe(2);
});

test('exports a request and a filtered feed as JSON equal to the API export', async ({ page }) => {
  const fact = demoFacts.bulkPriceChange;
  await openDashboard(page, `#/?user=${fact.user}`);
  await expect(feedItems(page).first()).toBeVisible();
  const feed = await download(page, 'Export feed as JSON');
  expect(withoutWhenRun(feed.body)).toEqual(withoutWhenRun(await apiExport(page, `user=${fact.user}`)));

  await page.goto(`/#/?requestId=${fact.requestId}`);
  await page.getByRole('list', { name: 'Recent changes' }).getByRole('link', { name: fact.requestId }).first().click();
  const contextId = decodeURIComponent(page.url().split('#/requests/')[1]);
  await expect(page.locator('article.request-record')).toHaveCount(fact.products.length);
  const requestFile = await download(page, 'Export request as JSON');
  expect(withoutWhenRun(requestFile.body)).toEqual(withoutWhenRun(await apiExport(page, `contextId=${contextId}`)));
  expect((requestFile.body.events as unknown[]).length).toBe(fact.products.length);
});

test('a failed export says why, visibly and to screen readers, next to the button', async ({ page }) => {
  const reason = 'the export service is restarting';
  await page.route('**/api/export/link?**', (route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: reason } }) }));
  await openDashboard(page, `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.locator('article.version')).toHaveCount(2);
  await page.getByRole('button', { name: 'Export record as JSON' }).click();

  const button = page.getByRole('button', { name: /Export failed/ });
  await expect(button).toBeVisible();
  const alert = page.getByRole('alert').filter({ hasText: reason });
  await expect(alert).toBeVisible(); // shown on the page, not only in a tooltip
  await expect(alert).toHaveAttribute('id', /.+/);
  await expect(button).toHaveAttribute('aria-describedby', (await alert.getAttribute('id'))!);
  await screenshot(page, 'export-failed');

  // Retrying clears the message once the export works again.
  await page.unroute('**/api/export/link?**');
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(file.suggestedFilename()).toMatch(/\.json$/);
  await expect(alert).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export record as JSON' })).toBeVisible();
});

test('the export button keeps keyboard focus while it works and after it fails', async ({ page }) => {
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => { answer = resolve; });
  let asked = 0;
  await page.route('**/api/export/link?**', async (route) => {
    asked++;
    await answered; // held until the button has been seen busy
    await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'restarting' } }) });
  });
  await openDashboard(page, `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.locator('article.version')).toHaveCount(2);
  const button = page.locator('.export-button');
  await button.focus();
  await page.keyboard.press('Enter');

  await expect(button).toHaveText('Preparing export…');
  await expect(button).toBeFocused(); // a disabled button would have dropped focus to the page
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter'); // ignored while busy: one request only
  answer();

  await expect(button).toHaveText('Export failed, retry');
  expect(asked).toBe(1);
  await expect(button).toBeFocused();
  await expect(button).not.toHaveAttribute('aria-disabled', /.*/);
  // retried from the keyboard, where focus still is
  await page.unroute('**/api/export/link?**');
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(file.suggestedFilename()).toMatch(/\.json$/);
  await expect(button).toBeFocused();
});

test('the feed export says which filters it uses, and warns while the filter form has changes not applied', async ({ page }) => {
  await openDashboard(page);
  await expect(feedItems(page).first()).toBeVisible();
  const form = page.getByRole('form', { name: 'Filter the activity feed' });
  const button = page.getByRole('button', { name: 'Export feed as JSON' });
  const note = page.locator(`[id="${(await button.getAttribute('aria-describedby'))!.split(' ')[0]}"]`);
  await expect(note).toHaveText('Exports every change (no filter applied).');

  // The delete checkbox applies at once; a user typed without Apply does not.
  // click, then wait: the checkbox shows the filter in the URL, so it is checked once the page has navigated, which
  // check() did not always wait for on a loaded machine ("Clicking the checkbox did not change its state")
  const deletes = form.getByRole('checkbox', { name: 'delete' });
  await deletes.click();
  await expect(page).toHaveURL(/operation=DELETE/);
  await expect(deletes).toBeChecked();
  await form.getByRole('textbox', { name: 'User' }).fill('sophie.support');
  await expect(note).toHaveText('Filter changes not applied yet: press Apply to export them. Exports the applied filters: operation delete.');
  await expect(button).toHaveAccessibleDescription(/not applied yet.*operation delete/);
  await screenshot(page, 'feed-export-unapplied-filters');

  // The file is what the note says: the applied filters, the feed's own selection.
  const file = await download(page, 'Export feed as JSON');
  expect(withoutWhenRun(file.body)).toEqual(withoutWhenRun(await apiExport(page, 'operation=DELETE')));

  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/user=sophie\.support/);
  await expect(note).toHaveText('Exports the applied filters: operation delete; user sophie.support.');
  const applied = await download(page, 'Export feed as JSON');
  expect(withoutWhenRun(applied.body)).toEqual(withoutWhenRun(await apiExport(page, 'operation=DELETE&user=sophie.support')));
});
