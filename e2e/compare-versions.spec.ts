import { expect, test } from '@playwright/test';
import { api, demoFacts, openDashboard, screenshot } from './support/dashboard.js';

interface Comparison { changes: Record<string, [unknown, unknown]> }
interface History { events: { eventId: string }[] }

test('compares two versions of a record', async ({ page, request }) => {
  const key = encodeURIComponent('{"id":1}');
  const history = await api<History>(request, `/api/history?table=public.shop_order&key=${key}&limit=1000`);
  expect(history.events.length).toBeGreaterThanOrEqual(3);
  const newest = history.events[0].eventId;
  const oldest = history.events[history.events.length - 1].eventId;
  const expected = await api<Comparison>(request, `/api/compare?table=public.shop_order&key=${key}&from=${oldest}&to=${newest}`);

  await openDashboard(page, `#/records/public.shop_order?key=${key}`);
  await expect(page.locator('article.version')).toHaveCount(history.events.length);
  // Every version's checkbox has its own accessible name.
  const names = await page.getByRole('checkbox').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.closest('label')?.textContent?.trim()));
  expect(names).toHaveLength(history.events.length);
  expect(new Set(names).size).toBe(names.length);
  await page.getByRole('checkbox', { name: `Compare version #${newest}`, exact: true }).check();
  await page.getByRole('checkbox', { name: `Compare version #${oldest}`, exact: true }).check();
  const panel = page.locator('.compare-panel');
  await expect(panel.getByRole('heading')).toHaveText(`Comparing #${oldest} → #${newest}`);
  await expect(panel.locator('.compare-sides > span')).toHaveText([new RegExp(`^From #${oldest} `), new RegExp(`^To #${newest} `)]);
  await expect(panel.locator('.field-change')).toHaveCount(Object.keys(expected.changes).length);
  await expect(panel.locator('.field-change[data-column="status"] .value.old')).toHaveText('placed');
  await expect(panel.locator('.field-change[data-column="status"] .value.new')).toHaveText('delivered');
  await expect(panel.locator('.field-change[data-column="tracking_number"] .value.new')).toHaveText(String(expected.changes.tracking_number[1]));
  await expect(page).toHaveURL(new RegExp(`compare=${newest}%2C${oldest}|compare=${newest},${oldest}`));
  await expect(panel.getByRole('heading')).toBeInViewport();
  await expect(panel.getByRole('heading')).toBeFocused();
  await screenshot(page, 'compare-versions');

  // Closing gives focus back to the checkbox that opened the comparison (the version ticked last).
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: `Compare version #${oldest}`, exact: true })).toBeFocused();
  await expect(page).not.toHaveURL(/compare=/);
});

test('closing a comparison returns focus to a compare checkbox far down a virtualized timeline', async ({ page, request }) => {
  const fact = demoFacts.largeRecord;
  const products = await api<{ events: { recordKey: Record<string, unknown>; changes: Record<string, unknown> }[] }>(
    request, `/api/events?table=${fact.table}&operation=INSERT&limit=100`);
  const key = JSON.stringify(products.events.find((e) => e.changes.sku === fact.sku)!.recordKey);
  const history = await api<History>(request, `/api/history?table=${fact.table}&key=${encodeURIComponent(key)}&limit=100`);
  const [newest, far] = [history.events[0].eventId, history.events[80].eventId]; // 80 versions down: not rendered near the top

  await openDashboard(page, `#/records/${fact.table}?key=${encodeURIComponent(key)}&compare=${newest},${far}`);
  const panel = page.locator('.compare-panel');
  await expect(panel.getByRole('heading')).toBeVisible();
  await expect(page.locator(`article.version[data-event-id="${far}"]`)).toHaveCount(0);
  await panel.getByRole('button', { name: 'Close' }).click();
  const box = page.getByRole('checkbox', { name: `Compare version #${far}`, exact: true });
  await expect(box).toBeFocused();
  await expect(box).toBeInViewport();
});

test('a compare= link opened in the app puts keyboard focus on the comparison, as ticking two versions does', async ({ page, request }) => {
  const key = encodeURIComponent('{"id":1}');
  const history = await api<History>(request, `/api/history?table=public.shop_order&key=${key}&limit=1000`);
  const [newest, oldest] = [history.events[0].eventId, history.events[history.events.length - 1].eventId];

  // Followed from another page of the dashboard (in-app navigation)...
  await openDashboard(page, `#/records/public.shop_order?key=${key}&compare=${newest},${oldest}`);
  const heading = page.locator('.compare-panel').getByRole('heading', { level: 2 });
  await expect(heading).toHaveText(`Comparing #${oldest} → #${newest}`);
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();

  // ...and loaded as the first page (a bookmark, a shared link).
  await page.reload();
  await expect(heading).toHaveText(`Comparing #${oldest} → #${newest}`);
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();
});

test('Escape closes the comparison, giving focus back to the checkbox that opened it, from anywhere in the panel', async ({ page, request }) => {
  const key = encodeURIComponent('{"id":1}');
  const history = await api<History>(request, `/api/history?table=public.shop_order&key=${key}&limit=1000`);
  const [newest, oldest] = [history.events[0].eventId, history.events[history.events.length - 1].eventId];

  await openDashboard(page, `#/records/public.shop_order?key=${key}`);
  await page.getByRole('checkbox', { name: `Compare version #${oldest}`, exact: true }).check();
  await page.getByRole('checkbox', { name: `Compare version #${newest}`, exact: true }).check();
  const panel = page.locator('.compare-panel');
  await expect(panel.getByRole('heading')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: `Compare version #${newest}`, exact: true })).toBeFocused();
  await expect(page).not.toHaveURL(/compare=/);

  // Opened by a link, with focus moved on to its Close button: Escape there too, focus on the link's second version.
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/records/public.shop_order?key=${key}&compare=${newest},${oldest}`);
  await expect(panel.getByRole('heading')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: `Compare version #${oldest}`, exact: true })).toBeFocused();
});
