import { expect, test, type Page } from '@playwright/test';
import { feedItems, openDashboard, screenshot } from './support/dashboard.js';

// Real answers of the real API, with the context of their events made as long as real ones get: the middleware keeps up
// to 2,048 bytes of a URL and 200 characters of a request id, and user names come from identity providers.
const LONG_URL = `/admin/customers/1?${Array.from({ length: 90 }, (_, i) => `param${i}=value${i}`).join('&')}`.slice(0, 2048);
const LONG_REQUEST_ID = `req-${'0123456789abcdef'.repeat(12)}`.slice(0, 200);
const LONG_USER = 'a.very.long.username.from.the.single.sign.on.provider@subsidiary.example-corporation.com';

async function lengthenContexts(page: Page, pattern: RegExp): Promise<void> {
  await page.route(pattern, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/"url"\s*:\s*"[^"]*"/g, `"url":${JSON.stringify(LONG_URL)}`)
      .replace(/"requestId"\s*:\s*"[^"]*"/g, `"requestId":${JSON.stringify(LONG_REQUEST_ID)}`)
      .replace(/"user"\s*:\s*"[^"]*"/g, `"user":${JSON.stringify(LONG_USER)}`);
    await route.fulfill({ response, body });
  });
}

/** How far the page can be scrolled sideways: 0 when nothing sticks out of the window. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const width of [1280, 390]) {
  test(`a long URL, request id and user name wrap instead of widening the page (${width}px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await lengthenContexts(page, /\/api\/(history|events)\?/);
    await openDashboard(page, '#/?user=sophie.support');
    await expect(feedItems(page).first().locator('.url')).toContainText('param89=value89');
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.evaluate(() => { window.location.hash = `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`; });
    const version = page.locator('article.version').first();
    await expect(version.locator('.url')).toContainText('param89=value89');
    await expect(version.locator('.request-link')).toHaveText(LONG_REQUEST_ID);
    expect(await sidewaysOverflow(page)).toBe(0);
    // The compare checkbox stays inside its card.
    const card = await version.boundingBox();
    const box = await version.getByRole('checkbox').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(card!.x + card!.width);
    await screenshot(page, `record-long-context-${width}`);
    await page.unrouteAll({ behavior: 'ignoreErrors' }); // requests still in flight when the test ends
  });
}
