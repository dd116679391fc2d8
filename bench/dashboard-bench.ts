import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { startServer } from '../packages/server/src/http/standalone-server.js';
import { median, percentile } from './stats.js';

export interface DashboardTiming {
  /** Milliseconds from navigating to the record page until its first field diff is visible, per trial. */
  trials: number[];
  median: number;
  max: number;
}

export type DashboardResult = { measured: true; timing: DashboardTiming } | { measured: false; reason: string };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UI_DIST = fileURLToPath(new URL('../packages/ui/dist', import.meta.url));

/**
 * Time to first visible diff of a record in the dashboard, measured in
 * Chromium like e2e/large-record.spec.ts: the built UI served with the API by
 * startServer() on the read-side database, a fresh page per trial.
 */
export async function measureDashboard(pool: pg.Pool, table: string, key: Record<string, unknown>, trials: number): Promise<DashboardResult> {
  if (!existsSync(`${UI_DIST}/index.html`)) return { measured: false, reason: 'the dashboard is not built (pnpm --filter @rowtrail/ui build)' };
  if (!existsSync(CHROMIUM)) return { measured: false, reason: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` };
  let chromium: (typeof import('@playwright/test'))['chromium'];
  try {
    chromium = (await import('@playwright/test')).chromium;
  } catch {
    return { measured: false, reason: '@playwright/test is not installed' };
  }
  const token = 'rowtrail-bench-token';
  const server = await startServer({ pool, port: 0, token, staticDir: UI_DIST });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const times: number[] = [];
    for (let trial = 0; trial < trials + 1; trial++) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${server.url}/#token=${encodeURIComponent(token)}`);
      await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor({ timeout: 30_000 });
      const started = performance.now();
      await page.goto(`${server.url}/#/records/${table}?key=${encodeURIComponent(JSON.stringify(key))}`);
      await page.locator('article.version .field-change').first().waitFor({ state: 'visible', timeout: 30_000 });
      if (trial > 0) times.push(performance.now() - started); // trial 0 warms the server's caches and the browser
      await page.context().close();
    }
    return { measured: true, timing: { trials: times, median: median(times), max: percentile(times, 100) } };
  } finally {
    await browser.close();
    await server.close();
  }
}
