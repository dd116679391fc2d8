import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, demoFacts, openDashboard } from './support/dashboard.js';

// Back to a record's history (a virtualized timeline) or to a request page (paged, grouped by record) returns to the
// same place, with the pages that had been loaded, as Back to the feed does (feed-scroll-restoration.spec.ts).

interface EventsPage { events: { eventId: string; recordKey: Record<string, unknown>; changes: Record<string, unknown>; context: { id: string } }[] }

/** The scanner job's 10,000-version product: its page, and the page of the job that wrote 9,999 of those versions. */
async function largeRecord(page: Page): Promise<{ recordHash: string; requestHash: string }> {
  const fact = demoFacts.largeRecord;
  const products = await api<EventsPage>(page.request, `/api/events?table=${fact.table}&operation=INSERT&limit=100`);
  const insert = products.events.find((e) => e.changes.sku === fact.sku)!;
  const job = await api<EventsPage>(page.request, '/api/events?requestId=job-inventory-sync&limit=1');
  return {
    recordHash: `#/records/${fact.table}?key=${encodeURIComponent(JSON.stringify(insert.recordKey))}`,
    requestHash: `#/requests/${job.events[0].context.id}`,
  };
}

/** A value read until it stays the same for 300 ms. */
async function settled(read: () => Promise<number>): Promise<number> {
  let previous = Number.NaN;
  await expect.poll(async () => {
    const value = await read();
    const same = Math.abs(value - previous) < 0.5;
    previous = value;
    return same;
  }, { intervals: [300] }).toBe(true);
  return previous;
}

/** Where an element's top is on screen, once it stays there (rows are measured and placed as they render). */
const settledTop = (element: Locator) => settled(() => element.evaluate((el) => el.getBoundingClientRect().top));

const topOf = (element: Locator) => element.evaluate((el) => el.getBoundingClientRect().top);

/** Scrolls the record's timeline about 300 versions down (its second page of history) and picks the version in the middle of the screen. */
async function scrollTimeline(page: Page, recordHash: string): Promise<{ version: Locator; top: number }> {
  await openDashboard(page, recordHash);
  const versions = page.locator('article.version');
  await expect(versions.first()).toBeVisible();
  await expect.poll(async () => {
    await page.evaluate(() => window.scrollBy(0, 5_000));
    return page.evaluate(() => Math.max(...[...document.querySelectorAll('[data-index]')].map((el) => Number(el.getAttribute('data-index')))));
  }, { intervals: [200], timeout: 30_000 }).toBeGreaterThan(300);
  await page.waitForLoadState('networkidle');
  await settled(() => page.evaluate(() => window.scrollY)); // rows measured as they render may still move the page
  const eventId = await page.evaluate(() => {
    const middle = window.innerHeight / 2;
    const article = [...document.querySelectorAll('article.version')].find((el) => {
      const rect = el.getBoundingClientRect();
      return rect.top <= middle && rect.bottom > middle;
    });
    return article!.getAttribute('data-event-id')!;
  });
  const version = page.locator(`article.version[data-event-id="${eventId}"]`);
  const top = await settledTop(version);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(40_000);
  return { version, top };
}

test('Back to a record history returns to the version read, focus on the request link followed; a new visit starts at the top', async ({ page }) => {
  const { recordHash } = await largeRecord(page);
  const { version, top } = await scrollTimeline(page, recordHash);
  const link = version.locator('a.request-link');
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/requests\//);
  await expect(page.locator('.request-progress')).toBeVisible();
  // Chromium's own restoration sometimes puts the page back when Back comes within a second or so: not after that.
  await page.waitForTimeout(3_000);

  await page.goBack();
  await expect(page).toHaveURL(/#\/records\//);
  await expect.poll(async () => Math.abs((await topOf(version)) - top), { timeout: 15_000 }).toBeLessThanOrEqual(1);
  await expect(version).toBeInViewport();
  await expect(link).toBeFocused(); // Tab goes on from the version just left, not from the top of the page

  // Opening the same record again from a link is a new visit: at its top.
  await page.goForward();
  await expect(page).toHaveURL(/#\/requests\//);
  await page.locator('article.request-record h3 a').first().click();
  await expect(page).toHaveURL(/#\/records\//);
  await expect(page.locator('article.version').first()).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
});

test('Back to a record history returns to the place even when its pages have to load again (after a reload)', async ({ page }) => {
  const { recordHash } = await largeRecord(page);
  const { version, top } = await scrollTimeline(page, recordHash);
  await version.locator('a.request-link').click();
  await expect(page.locator('.request-progress')).toBeVisible();
  await page.reload(); // the dashboard starts afresh: none of the history's pages is cached any more
  await expect(page.locator('.request-progress')).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/#\/records\//);
  await expect.poll(async () => Math.abs((await topOf(version)) - top), { timeout: 20_000 }).toBeLessThanOrEqual(1);
  await expect(version).toBeInViewport();
});

/** The 700th change of the job is some 9,300 versions down the record's history: about 24 pages to load to show it. */
const DEEP_VERSION = 30_000;

/** Scrolls the scanner job's request page until four pages (800 changes) are loaded, and picks the change in the middle of the screen. */
async function scrollRequest(page: Page, requestHash: string): Promise<{ change: Locator; top: number; y: number }> {
  await openDashboard(page, requestHash);
  const progress = page.locator('.request-progress');
  const total = (demoFacts.largeRecord.versions - 1).toLocaleString('en-US');
  for (const shown of [200, 400, 600, 800]) {
    await expect(progress).toHaveText(`Showing the first ${shown} of ${total} changes, oldest first; more load as you scroll.`);
    if (shown < 800) await page.locator('.feed-end').scrollIntoViewIfNeeded();
  }
  const changes = page.locator('.request-event');
  await expect(changes).toHaveCount(800);
  const change = changes.nth(700);
  await change.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const top = await settledTop(change);
  const y = await page.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(40_000);
  await expect(progress).toContainText('Showing the first 800 of'); // no page more was loaded meanwhile
  return { change, top, y };
}

test('Back to a request page returns to the change read, with every page that had been loaded by scrolling', async ({ page }) => {
  const { requestHash } = await largeRecord(page);
  const { change, top, y } = await scrollRequest(page, requestHash);
  const link = change.locator('.feed-head a').first(); // #<event id>: the record at that version
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/records\/.*version=/);
  await expect(page.locator('article.version-selected')).toBeInViewport({ timeout: DEEP_VERSION });
  await page.waitForTimeout(3_000);

  await page.goBack();
  await expect(page).toHaveURL(/#\/requests\//);
  await expect(page.locator('.request-progress')).toContainText('Showing the first 800 of');
  await expect.poll(async () => Math.abs((await topOf(change)) - top)).toBeLessThanOrEqual(1);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - y)).toBeLessThanOrEqual(1);
  await expect(link).toBeFocused();

  // Forward shows the linked version again; the request page opened anew from there starts at its top.
  await page.goForward();
  await expect(page.locator('article.version-selected')).toBeInViewport();
  await page.locator('article.version-selected a.request-link').click();
  await expect(page).toHaveURL(/#\/requests\//);
  await expect(page.locator('.request-event').first()).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
});

test('Back to a request page loads its pages again when the cache has let them go (after a reload)', async ({ page }) => {
  const { requestHash } = await largeRecord(page);
  const { change, top } = await scrollRequest(page, requestHash);
  await change.locator('.feed-head a').first().click();
  await expect(page.locator('article.version-selected')).toBeInViewport({ timeout: DEEP_VERSION });
  await page.reload();
  await expect(page.locator('article.version-selected')).toBeVisible({ timeout: DEEP_VERSION });

  await page.goBack();
  await expect(page).toHaveURL(/#\/requests\//);
  await expect(page.locator('.request-progress')).toContainText('Showing the first 800 of', { timeout: 20_000 });
  await expect.poll(async () => Math.abs((await topOf(change)) - top), { timeout: 20_000 }).toBeLessThanOrEqual(1);
  await expect(change).toBeInViewport();
});
