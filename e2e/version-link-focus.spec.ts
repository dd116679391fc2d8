import { expect, test, type APIRequestContext } from '@playwright/test';
import { api, demoFacts, feedItems, openDashboard } from './support/dashboard.js';

interface History { events: { eventId: string }[] }

/** The 10,000-version product's key, as JSON text. */
async function largeRecordKey(request: APIRequestContext): Promise<string> {
  const fact = demoFacts.largeRecord;
  const products = await api<{ events: { recordKey: Record<string, unknown>; changes: Record<string, unknown> }[] }>(
    request, `/api/events?table=${fact.table}&operation=INSERT&limit=100`);
  return JSON.stringify(products.events.find((e) => e.changes.sku === fact.sku)!.recordKey);
}

test('a version= link puts keyboard focus on that version, so Tab goes on from it and not from the top of the page', async ({ page, request }) => {
  const fact = demoFacts.largeRecord;
  const key = await largeRecordKey(request);
  const history = await api<History>(request, `/api/history?table=${fact.table}&key=${encodeURIComponent(key)}&limit=200`);
  const version = history.events[150].eventId; // past the first page of 100: loaded, then scrolled far down to

  await openDashboard(page, `#/records/${fact.table}?key=${encodeURIComponent(key)}&version=${version}`);
  const selected = page.locator(`article.version[data-event-id="${version}"]`);
  await expect(selected).toBeInViewport();
  // a screen reader is told which version the link pointed at: focus is on it, and it is the current one
  await expect(selected).toBeFocused();
  await expect(selected).toHaveAttribute('aria-current', 'true');
  await expect(selected).toHaveAccessibleName(`Version ${version}`);
  await expect(page.locator('article.version[aria-current]')).toHaveCount(1);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(10_000);

  // Tab goes to the next focusable element after it (its own link), not to the breadcrumb at the top of the page.
  await page.keyboard.press('Tab');
  await expect(selected.getByRole('link', { name: `#${version}`, exact: true })).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(10_000);
  await expect(selected).toBeInViewport();
});

test("a feed item's link to a version puts focus on that version of the record", async ({ page, request }) => {
  const key = '{"id":1}';
  const history = await api<History>(request, `/api/history?table=public.shop_order&key=${encodeURIComponent(key)}&limit=1000`);
  expect(history.events.length).toBeGreaterThanOrEqual(3);
  const oldest = history.events[history.events.length - 1].eventId;

  await openDashboard(page, `#/?table=public.shop_order&recordKey=${encodeURIComponent(key)}`);
  await expect(feedItems(page)).toHaveCount(history.events.length);
  await page.locator(`ol.feed > li[data-event-id="${oldest}"] a.record-link`).click();
  await expect(page).toHaveURL(new RegExp(`version=${oldest}`));
  const selected = page.locator(`article.version[data-event-id="${oldest}"]`);
  await expect(selected).toBeFocused();
  await expect(selected).toHaveAttribute('aria-current', 'true');
  const inside = () => page.evaluate((id) => document.activeElement?.closest('article.version')?.getAttribute('data-event-id') ?? null, oldest);
  await page.keyboard.press('Tab');
  expect(await inside()).toBe(oldest);
  await expect(selected.getByRole('link', { name: `#${oldest}`, exact: true })).toBeFocused();
});
