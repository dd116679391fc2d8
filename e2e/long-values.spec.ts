import { expect, test, type Locator, type Page } from '@playwright/test';
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

/**
 * The long user name is shown, on as many lines as `width` needs (a narrow window: more than one), within its card: its
 * text does not stick out of its own box, nor its box out of the card's.
 */
async function expectLongUserWrapped(card: Locator, width: number): Promise<void> {
  const who = card.locator('.who');
  await expect(who).toHaveText(LONG_USER);
  const { lines, sticksOut } = await who.evaluate((element) => {
    const text = document.createRange();
    text.selectNodeContents(element);
    return { lines: text.getClientRects().length, sticksOut: element.scrollWidth - element.clientWidth };
  });
  expect(sticksOut, 'how far the user name sticks out of its box, in px').toBe(0);
  if (width < 600) expect(lines, 'lines of the user name').toBeGreaterThan(1);
  const [box, within] = [(await who.boundingBox())!, (await card.boundingBox())!];
  expect(box.x).toBeGreaterThanOrEqual(within.x);
  expect(box.x + box.width).toBeLessThanOrEqual(within.x + within.width);
}

for (const width of [1280, 390]) {
  test(`a long URL, request id and user name wrap instead of widening the page (${width}px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await lengthenContexts(page, /\/api\/(history|events)\?/);
    await openDashboard(page, '#/?user=sophie.support');
    await expect(feedItems(page).first().locator('.url')).toContainText('param89=value89');
    await expectLongUserWrapped(feedItems(page).first(), width);
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.evaluate(() => { window.location.hash = `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`; });
    const version = page.locator('article.version').first();
    await expect(version.locator('.url')).toContainText('param89=value89');
    await expect(version.locator('.request-link')).toHaveText(LONG_REQUEST_ID);
    await expectLongUserWrapped(version, width);
    expect(await sidewaysOverflow(page)).toBe(0);
    // The compare checkbox stays inside its card.
    const card = await version.boundingBox();
    const box = await version.getByRole('checkbox').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(card!.x + card!.width);
    await screenshot(page, `record-long-context-${width}`);
    await page.unrouteAll({ behavior: 'ignoreErrors' }); // requests still in flight when the test ends
  });
}

test('a long text with a small change shows the change in a short excerpt; long values are collapsed', async ({ page }) => {
  // A 228 KB text with 15 characters changed in the middle, given to customer 1's notes in the real API's answer.
  const words = Array.from({ length: 38_000 }, (_, i) => `word${i % 997}`).join(' ');
  const middle = words.indexOf(' ', words.length / 2);
  const oldNotes = words;
  const newNotes = `${words.slice(0, middle + 1)}EDITED-MIDDLE!!${words.slice(middle + 1 + 15)}`; // 15 characters replaced
  expect(oldNotes.length).toBeGreaterThan(228_000);
  await page.route((url) => url.pathname === '/api/history' && url.searchParams.get('key') === '{"id":1}', async (route) => {
    const response = await route.fetch();
    const history = await response.json() as { events: { operation: string; changes: Record<string, unknown>; snapshot: Record<string, unknown> }[] };
    for (const event of history.events) {
      if (event.operation === 'UPDATE') { event.changes.notes = [oldNotes, newNotes]; event.snapshot.notes = newNotes; }
      else event.snapshot.notes = oldNotes;
    }
    await route.fulfill({ response, json: history });
  });
  await openDashboard(page, `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  const update = page.locator('article.version').first();
  const notes = update.locator('.field-change[data-column="notes"]');
  await expect(notes.locator('ins', { hasText: 'EDITED-MIDDLE!!' })).toBeVisible();
  await expect(notes).not.toContainText('Too long for a word diff');
  await expect(notes).toContainText(words.slice(middle - 40, middle)); // the words just before the change
  await expect(notes).toContainText('unchanged characters');
  const height = (await update.boundingBox())!.height;
  expect(height, 'the card of the update, in px').toBeLessThan(1_000);
  expect(await sidewaysOverflow(page)).toBe(0);
  await screenshot(page, 'record-long-text-change');

  // Both texts in full on demand.
  await notes.getByRole('button', { name: 'Show the old and new text in full' }).click();
  await expect(notes.locator('.value.new')).toHaveText(newNotes);
  await notes.getByRole('button', { name: 'Hide the full texts' }).click();
  await expect(notes.locator('.value.new')).toHaveCount(0);

  // The inserted row's long value is collapsed to a preview, and expands.
  const insert = page.locator('article.version').last();
  const cell = insert.locator('table.snapshot tr[data-column="notes"] td');
  const expand = cell.getByRole('button', { name: `Show all ${oldNotes.length.toLocaleString('en-US')} characters` });
  await expect(expand).toHaveAttribute('aria-expanded', 'false');
  expect((await cell.locator('.value').textContent())!.length).toBeLessThan(400);
  await expand.click();
  await expect(cell.locator('.value')).toHaveText(oldNotes);
  await expect(cell.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});
