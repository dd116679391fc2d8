import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { api, demoFacts, feedItems, openDashboard, showStateBeforeLatestVersion } from './support/dashboard.js';

// Automated accessibility checks: every main screen of the dashboard, opened in the real browser against the demo, in
// the light and the dark colour scheme, must have no axe-core violation at WCAG 2.1 levels A and AA. axe finds what a
// machine can (contrast, names, roles, structure); it does not replace trying the screens with a keyboard and a screen
// reader (overview.spec.ts and compare-versions.spec.ts check focus and names by hand).

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface History { events: { eventId: string }[] }
interface Events { events: { recordKey: Record<string, unknown>; changes: Record<string, unknown> }[] }

/** Runs axe on the page as it is now and fails with a readable list of the violations (rule, impact, elements). */
async function expectNoViolations(page: Page, screen: string, colorScheme: 'light' | 'dark'): Promise<void> {
  const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
  expect(dark ? 'dark' : 'light', 'the colour scheme the page is rendered in').toBe(colorScheme);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes
    .map((n) => `  ${n.target.join(' ')}\n    ${n.failureSummary?.replace(/\n/g, '\n    ')}`).join('\n')}`);
  expect(report, `axe violations on ${screen} (${colorScheme})`).toEqual([]);
}

const customerKey = encodeURIComponent('{"id":1}');

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility (${colorScheme})`, () => {
    test.use({ colorScheme });

    test('overview: tracked tables, activity chart and feed', async ({ page }) => {
      await openDashboard(page);
      await expect(page.getByRole('list', { name: 'Tracked tables' })).toBeVisible();
      await expect(page.getByRole('img', { name: /Events per hour/ })).toBeVisible();
      await expect(feedItems(page).first()).toBeVisible();
      await expectNoViolations(page, 'overview', colorScheme);
    });

    test('record history with a word diff, a JSON diff and the full snapshot expanded', async ({ page, request }) => {
      const fact = demoFacts.productEdit;
      const inserts = await api<Events>(request, `/api/events?table=${fact.table}&operation=INSERT&limit=100`);
      const key = JSON.stringify(inserts.events.find((e) => e.changes.sku === fact.sku)!.recordKey);
      await openDashboard(page, `#/records/${fact.table}?key=${encodeURIComponent(key)}`);
      const version = page.locator('article.version', { has: page.locator('.word-diff') }).first();
      await expect(version.locator('.json-diff')).toBeVisible();
      await version.getByRole('button', { name: /Show full snapshot/ }).click();
      await expect(version.locator('table.snapshot')).toBeVisible();
      await expectNoViolations(page, 'record history', colorScheme);
    });

    test('compare panel', async ({ page, request }) => {
      const key = encodeURIComponent('{"id":1}');
      const history = await api<History>(request, `/api/history?table=public.shop_order&key=${key}&limit=1000`);
      const [newest, oldest] = [history.events[0].eventId, history.events[history.events.length - 1].eventId];
      await openDashboard(page, `#/records/public.shop_order?key=${key}&compare=${newest},${oldest}`);
      const panel = page.locator('.compare-panel');
      await expect(panel.locator('.field-change').first()).toBeVisible();
      await expect(page.locator('article.version')).toHaveCount(history.events.length);
      await expectNoViolations(page, 'compare panel', colorScheme);
    });

    test('state-as-of panel', async ({ page }) => {
      await openDashboard(page, `#/records/public.customer?key=${customerKey}`);
      await showStateBeforeLatestVersion(page);
      await expect(page.locator('.state-panel table.snapshot')).toBeVisible();
      await expectNoViolations(page, 'state as of', colorScheme);
    });

    test('request page', async ({ page }) => {
      const fact = demoFacts.bulkPriceChange;
      await openDashboard(page, `#/?requestId=${fact.requestId}`);
      await feedItems(page).first().getByRole('link', { name: fact.requestId }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Request ${fact.requestId}`);
      await expect(page.locator('article.request-record')).toHaveCount(fact.products.length);
      await expectNoViolations(page, 'request page', colorScheme);
    });

    test('a long text change as an excerpt, a collapsed long value, and a version of another record', async ({ page, request }) => {
      // Customer 1's notes made 20 KB long in the real API's answer, with one word changed in the middle.
      const notes = Array.from({ length: 3_000 }, (_, i) => `word${i}`).join(' ');
      await page.route((url) => url.pathname === '/api/history' && url.searchParams.get('key') === '{"id":1}', async (route) => {
        const response = await route.fetch();
        const history = await response.json() as { events: { operation: string; changes: Record<string, unknown>; snapshot: Record<string, unknown> }[] };
        for (const event of history.events) {
          if (event.operation === 'UPDATE') event.changes.notes = [notes, notes.replace('word1500 ', 'changed ')];
          else event.snapshot.notes = notes;
        }
        await route.fulfill({ response, json: history });
      });
      const other = await api<History>(request, '/api/events?table=public.product&limit=1');
      await openDashboard(page, `#/records/public.customer?key=${customerKey}&version=${other.events[0].eventId}`);
      await expect(page.getByRole('alert').filter({ hasText: 'is not a version of this record' })).toBeVisible();
      await expect(page.locator('.field-change[data-column="notes"] ins')).toContainText('changed');
      await expect(page.getByRole('button', { name: /^Show all [\d,]+ characters$/ })).toBeVisible();
      await expectNoViolations(page, 'long values and a version of another record', colorScheme);
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    });

    test('not found: an untracked table and an unknown request', async ({ page }) => {
      await openDashboard(page, `#/records/public.nope?key=${customerKey}`);
      await expect(page.getByRole('alert').filter({ hasText: 'Not found.' })).toBeVisible();
      await expectNoViolations(page, 'untracked table', colorScheme);
      await page.evaluate(() => { window.location.hash = '#/requests/00000000-0000-7000-8000-000000000000'; });
      await expect(page.getByRole('heading', { name: 'Request not found' })).toBeVisible();
      await expectNoViolations(page, 'unknown request', colorScheme);
    });

    test('export flow: a download, then a failed export with its reason', async ({ page }) => {
      await openDashboard(page, `#/records/public.customer?key=${customerKey}`);
      await expect(page.locator('article.version')).toHaveCount(2);
      await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export record as JSON' }).click()]);
      await expect(page.getByRole('button', { name: 'Export record as JSON' })).toBeEnabled();
      await expectNoViolations(page, 'export done', colorScheme);

      await page.route('**/api/export/link?**', (route) => route.fulfill({
        status: 503, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'the export service is restarting' } }),
      }));
      await page.getByRole('button', { name: 'Export record as JSON' }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'restarting' })).toBeVisible();
      await expectNoViolations(page, 'export failed', colorScheme);
    });

    test('token screen, first visit and after a refused token', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
      await expectNoViolations(page, 'token screen', colorScheme);

      await page.getByRole('textbox', { name: 'Token' }).fill('not-the-token');
      await page.getByRole('button', { name: 'Open dashboard' }).click();
      await expect(page.getByText('The server refused the token.')).toBeVisible();
      await expectNoViolations(page, 'token screen, token refused', colorScheme);
    });
  });
}
