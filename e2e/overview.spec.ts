import { expect, test } from '@playwright/test';
import { api, feedItems, openDashboard, screenshot } from './support/dashboard.js';

interface Tables { tables: { table: string; events: number }[] }

test('opens the dashboard with the token link and shows tables, activity and the feed', async ({ page, request }) => {
  await openDashboard(page);
  await expect(page).toHaveURL(/#\/$/); // the token left the address bar
  const { tables } = await api<Tables>(request, '/api/tables');
  const cards = page.getByRole('list', { name: 'Tracked tables' }).getByRole('listitem');
  await expect(cards).toHaveCount(tables.length);
  for (const t of tables) {
    const card = cards.filter({ hasText: t.table.replace(/^public\./, '') });
    await expect(card.locator('.table-count')).toContainText(t.events.toLocaleString('en-US'));
  }
  await expect(page.getByRole('img', { name: /Events per hour/ })).toBeVisible();
  await expect(page.locator('.bar').first()).toBeVisible();
  await expect(feedItems(page).first()).toBeVisible();
  await screenshot(page, 'overview');

  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'overview-dark');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'overview-mobile');
});

test('loads more of the feed as it scrolls', async ({ page }) => {
  await openDashboard(page);
  const items = feedItems(page);
  await expect(items).toHaveCount(50);
  await items.last().scrollIntoViewIfNeeded();
  await expect.poll(() => items.count()).toBeGreaterThan(50);
});

test('can be used with the keyboard alone', async ({ page }) => {
  await openDashboard(page);
  await expect(feedItems(page).first()).toBeVisible();
  const firstRecord = feedItems(page).first().locator('a.record-link');
  const target = await firstRecord.getAttribute('href');
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await firstRecord.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(firstRecord).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(target!.replace(/[?^$.*+()[\]{}|\\]/g, '\\$&')));
  await expect(page.locator('article.version-selected')).toBeVisible();
});

test('a deleted or inserted row in the feed says which row it was', async ({ page, request }) => {
  interface Events { events: { eventId: string; table: string; changes: Record<string, unknown> }[] }
  const { events } = await api<Events>(request, '/api/events?operation=DELETE&table=public.shop_order&limit=1');
  const deleted = events[0];
  expect(typeof deleted.changes.status).toBe('string');
  await openDashboard(page, '#/?operation=DELETE&table=public.shop_order');
  await expect(page.locator(`ol.feed > li[data-event-id="${deleted.eventId}"] .row-summary`)).toHaveText(
    `deleted with ${Object.keys(deleted.changes).length} fields: status “${deleted.changes.status}”, customer_id ${deleted.changes.customer_id}`);

  const customer = (await api<Events>(request, '/api/events?operation=INSERT&table=public.customer&limit=1')).events[0];
  await page.evaluate(() => { window.location.hash = '#/?operation=INSERT&table=public.customer'; });
  await expect(page.locator(`ol.feed > li[data-event-id="${customer.eventId}"] .row-summary`)).toHaveText(
    `created with ${Object.keys(customer.changes).length} fields: name “${customer.changes.name}”, email “${customer.changes.email}”`);
});
