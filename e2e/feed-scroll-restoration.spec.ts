import { expect, test, type Page } from '@playwright/test';
import { feedItems, openDashboard } from './support/dashboard.js';

// Back from a record opened far down the feed returns to that place in the feed, not to its top.

const TARGET = 349; // the 350th change: eight pages of the feed are loaded

/** Opens the overview and scrolls the feed until its 350th item is loaded and in the middle of the screen. */
async function scrollFeedToTarget(page: Page): Promise<{ y: number; link: ReturnType<Page['locator']> }> {
  await openDashboard(page);
  const items = feedItems(page);
  await expect(items).toHaveCount(50);
  while ((await items.count()) <= TARGET + 50) {
    const count = await items.count();
    await items.last().scrollIntoViewIfNeeded();
    await expect.poll(() => items.count()).toBeGreaterThan(count);
  }
  const link = items.nth(TARGET).locator('a.record-link');
  await link.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const y = await page.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(10_000);
  return { y, link };
}

const distanceFrom = (page: Page, y: number) => page.evaluate((expected) => Math.abs(window.scrollY - expected), y);

test('Back from a record opened from the keyboard returns to the same place in the feed, focus on the link followed', async ({ page }) => {
  const { y, link } = await scrollFeedToTarget(page);
  const loaded = await feedItems(page).count();
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/records\//);
  await expect(page.locator('article.version-selected')).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/#\/$/);
  await expect.poll(() => distanceFrom(page, y)).toBeLessThanOrEqual(1);
  await expect(feedItems(page)).toHaveCount(loaded);
  await expect(link).toBeInViewport();
  await expect(link).toBeFocused(); // Tab goes on from the record just read, not from the top of the page
});

test('Back after reading a record opened with the mouse returns there too; Forward shows the version linked to; the header link opens the overview at its top', async ({ page }) => {
  const { y, link } = await scrollFeedToTarget(page);
  await link.click();
  await expect(page.locator('article.version-selected')).toBeInViewport();
  // The support agent reads the record. Chromium's own restoration sometimes puts the feed back when Back comes
  // within a second or so of leaving it, but not after that: that is the reported bug (the feed at its top).
  await page.waitForTimeout(3_000);
  await page.goBack();
  await expect.poll(() => distanceFrom(page, y)).toBeLessThanOrEqual(1);
  await expect(link).toBeInViewport();

  // The record's history is cached now and renders at once: the page still scrolls to the version the link names.
  await page.goForward();
  await expect(page.locator('article.version-selected')).toBeInViewport();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  await expect(page).toHaveURL(/#\/$/);
  await expect(feedItems(page).first()).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.locator('#main')).toBeFocused();
});

test('Back returns to the place even when the feed has to load its pages again (after a reload)', async ({ page }) => {
  const { y, link } = await scrollFeedToTarget(page);
  const eventId = await link.evaluate((el) => el.closest('li')!.getAttribute('data-event-id'));
  await link.click();
  await expect(page.locator('article.version-selected')).toBeVisible();
  await page.reload(); // the dashboard starts afresh: none of the feed's pages is cached any more
  await expect(page.locator('article.version-selected')).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/#\/$/);
  await expect.poll(() => distanceFrom(page, y), { timeout: 20_000 }).toBeLessThanOrEqual(1);
  await expect(page.locator(`ol.feed > li[data-event-id="${eventId}"] a.record-link`)).toBeInViewport();
});

test('Back returns to the place when the activity chart above the feed loads after the feed (its window moved on the hour)', async ({ page }) => {
  const { y, link } = await scrollFeedToTarget(page);
  await link.click();
  await expect(page.locator('article.version-selected')).toBeVisible();
  // An hour later the chart's window (it ends with the current hour) is another query: back on the overview the chart
  // loads again, here slowly, while the feed is still cached and renders at once.
  await page.clock.setFixedTime(Date.now() + 2 * 3_600_000);
  await page.route('**/api/activity?*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.goBack();
  await expect(page).toHaveURL(/#\/$/);
  await expect(page.locator('.chart-card .chart-summary')).toBeVisible();
  await expect.poll(() => distanceFrom(page, y)).toBeLessThanOrEqual(1);
  await expect(link).toBeInViewport();
});
