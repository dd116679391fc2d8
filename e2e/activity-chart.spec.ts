import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, openDashboard, screenshot } from './support/dashboard.js';

interface Activity { bucket: 'hour' | 'day'; buckets: { start: string; INSERT: number; UPDATE: number; DELETE: number }[] }
interface Events { events: { createdAt: string }[] }

const HOUR = 3_600_000;

/** A six-hour window of the demo with changes in it, as UTC ISO times. */
async function busyWindow(request: Parameters<typeof api>[0]): Promise<{ from: string; to: string }> {
  const { events } = await api<Events>(request, '/api/events?limit=100');
  const start = Math.floor(new Date(events[80].createdAt).getTime() / HOUR) * HOUR - 2 * HOUR;
  return { from: new Date(start).toISOString(), to: new Date(start + 6 * HOUR).toISOString() };
}

test('with a time filter the Range control shows the filter\'s window, not "last 7 days"', async ({ page, request }) => {
  const { from, to } = await busyWindow(request);
  await openDashboard(page, `#/?from=${from}&to=${to}`);
  const chart = page.locator('section.chart-card');
  await expect(chart.getByRole('img', { name: /Events per hour/ })).toBeVisible();
  await expect(chart.getByRole('combobox', { name: 'Range' })).toHaveCount(0);
  await expect(chart).not.toContainText('last 7 days');
  await expect(chart.locator('.chart-range')).toContainText("(the feed's time filter)");

  // Only a To filter: the range's length, up to that time.
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/?to=${to}`);
  await expect(chart.getByRole('combobox', { name: 'Range' })).toBeEnabled();
  await expect(chart.getByRole('combobox', { name: 'Range' }).locator('option:checked')).toHaveText('7 days');
  await expect(chart.locator('.chart-range')).toContainText("up to");

  // No time filter: the usual ranges, ending now.
  await page.evaluate(() => { window.location.hash = '#/'; });
  await expect(chart.getByRole('combobox', { name: 'Range' }).locator('option:checked')).toHaveText('last 7 days');
});

test('the chart\'s numbers can be read without a mouse: a table opened from the keyboard', async ({ page, request }) => {
  const { from, to } = await busyWindow(request);
  const expected = await api<Activity>(request, `/api/activity?bucket=hour&from=${from}&to=${to}`);
  expect(expected.buckets.length).toBeGreaterThan(0);
  await openDashboard(page, `#/?from=${from}&to=${to}`);
  const chart = page.locator('section.chart-card');
  const disclosure = chart.getByText('Show the numbers as a table');
  await expect(disclosure).toBeVisible();
  for (let i = 0; i < 40 && !(await disclosure.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(disclosure).toBeFocused();
  await page.keyboard.press('Enter');

  const table = chart.getByRole('table', { name: /Changes per hour \(UTC hours\)/ });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['Hour (UTC)', 'Inserts', 'Updates', 'Deletes', 'Total']);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(expected.buckets.length);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('time')!.getAttribute('datetime'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)])))
    .toEqual(expected.buckets.map((b) => [b.start, ...[b.INSERT, b.UPDATE, b.DELETE, b.INSERT + b.UPDATE + b.DELETE].map((n) => n.toLocaleString('en-US'))]));
  await screenshot(page, 'activity-chart-table');
});

/** Opens the dashboard and runs `check` on the chart of each range, chosen in the Range control. */
async function forEachRange(page: Page, check: (svg: Locator, option: string) => Promise<void>): Promise<void> {
  await openDashboard(page);
  const chart = page.locator('section.chart-card');
  const range = chart.getByRole('combobox', { name: 'Range' });
  for (const option of ['last 7 days', 'last 24 hours', 'last 30 days']) {
    await range.selectOption({ label: option });
    await expect(range.locator('option:checked')).toHaveText(option);
    const svg = chart.getByRole('img', { name: option === 'last 30 days' ? /Events per day/ : /Events per hour/ });
    await expect(svg).toBeVisible();
    await check(svg, option);
  }
}

test('the axis labels never overlap, at every range (1280 px wide)', async ({ page }) => {
  await forEachRange(page, async (svg, option) => {
    // The labels as drawn (hidden ones excepted: the chart hides a label that would still collide).
    const { boxes, chartBox } = await svg.evaluate((el) => ({
      boxes: [...el.querySelectorAll('text.chart-tick[data-tick]')]
        .filter((t) => getComputedStyle(t).visibility !== 'hidden')
        .map((t) => { const r = t.getBoundingClientRect(); return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }),
      chartBox: (({ left, right }) => ({ left, right }))(el.getBoundingClientRect()),
    }));
    expect(boxes.length, option).toBeGreaterThanOrEqual(4);
    for (const [i, a] of boxes.entries()) {
      expect(a.left, `${a.text} inside the chart`).toBeGreaterThanOrEqual(chartBox.left - 1) // a glyph may start a little left of its x;
      expect(a.right, `${a.text} inside the chart`).toBeLessThanOrEqual(chartBox.right + 1);
      for (const b of boxes.slice(i + 1)) {
        const intersect = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(intersect, `"${a.text}" and "${b.text}" overlap (${option})`).toBe(false);
      }
    }
  });
  await screenshot(page, 'activity-chart-axis');
});

test.describe('at phone width (375 px)', () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test('the axis labels stay legible and apart, at every range', async ({ page }) => {
    await forEachRange(page, async (svg, option) => {
      const { boxes, chartBox, fontSizes } = await svg.evaluate((el) => {
        const ticks = [...el.querySelectorAll('text.chart-tick')].filter((t) => getComputedStyle(t).visibility !== 'hidden');
        const ctm = (el as SVGSVGElement).getScreenCTM()!;
        return {
          boxes: ticks.filter((t) => t.hasAttribute('data-tick')).map((t) => { const r = t.getBoundingClientRect(); return { text: t.textContent, left: r.left, right: r.right }; }),
          chartBox: (({ left, right }) => ({ left, right }))(el.getBoundingClientRect()),
          // the font size as drawn: the chart's units times its scale on screen
          fontSizes: ticks.map((t) => parseFloat(getComputedStyle(t).fontSize) * ctm.a),
        };
      });
      expect(boxes.length, option).toBeGreaterThanOrEqual(2);
      for (const size of fontSizes) expect(size, `${option}: label font size on screen`).toBeGreaterThanOrEqual(10.5);
      for (const [i, a] of boxes.entries()) {
        expect(a.left).toBeGreaterThanOrEqual(chartBox.left - 1);
        expect(a.right).toBeLessThanOrEqual(chartBox.right + 1);
        if (i > 0) expect(a.left, `"${boxes[i - 1].text}" and "${a.text}" overlap (${option})`).toBeGreaterThanOrEqual(boxes[i - 1].right);
      }
    });
    await screenshot(page, 'activity-chart-phone');
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility of the chart (${colorScheme})`, () => {
    test.use({ colorScheme });

    test('a custom window with the numbers table open has no axe violation', async ({ page, request }) => {
      const { from, to } = await busyWindow(request);
      await openDashboard(page, `#/?from=${from}&to=${to}`);
      await page.locator('section.chart-card').getByText('Show the numbers as a table').click();
      await expect(page.getByRole('table', { name: /Changes per hour/ })).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).include('section.chart-card').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  });
}

test('the chosen Range is kept when coming Back from a record, and after a reload', async ({ page }) => {
  await openDashboard(page);
  const range = page.locator('section.chart-card').getByRole('combobox', { name: 'Range' });
  await range.selectOption({ label: 'last 30 days' });
  await page.locator('ol.feed > li').first().getByRole('link').filter({ hasNotText: /^#/ }).first().click();
  await expect(page).toHaveURL(/#\/(records|requests)\//);
  await page.goBack();
  await expect(range.locator('option:checked')).toHaveText('last 30 days');
  await page.reload();
  await expect(range.locator('option:checked')).toHaveText('last 30 days');
  await expect(page.locator('section.chart-card').getByRole('img', { name: /Events per day/ })).toBeVisible();
});
