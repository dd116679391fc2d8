import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseExactJson } from '../../packages/ui/src/lib/exact-json.js';
import { E2E_TOKEN } from './e2e-settings.js';

export { demoFacts } from '../../packages/server/src/demo/demo-facts.js';
export const ARTIFACTS = path.resolve('e2e/artifacts');

/** Opens the dashboard through the sign-in link the demo prints (`/#token=…`). */
export async function openDashboard(page: Page, hash = '#/'): Promise<void> {
  await page.goto(`/#token=${encodeURIComponent(E2E_TOKEN)}`);
  await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
  if (hash !== '#/') await page.evaluate((h) => { window.location.hash = h; }, hash);
}

/** The items of the activity feed (not the list items nested inside them). */
export const feedItems = (page: Page) => page.locator('ol.feed > li');

/** Keeps screenshots of the current screen as test artifacts: what is on screen, and the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height <= 30_000) await page.screenshot({ path: path.join(ARTIFACTS, `${name}-full.png`), fullPage: true }); // Chromium cannot capture taller pages
}

/** GET on the API with the token. */
export async function api<T>(request: APIRequestContext, pathAndQuery: string): Promise<T> {
  const response = await request.get(pathAndQuery, { headers: { Authorization: `Bearer ${E2E_TOKEN}` } });
  if (!response.ok()) throw new Error(`${pathAndQuery}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * GET on the API with the token, parsed as the dashboard parses it: numbers a JS number cannot hold as written (a bigint,
 * a price 24.90) keep their text, which String() gives back.
 */
export async function apiExact<T>(request: APIRequestContext, pathAndQuery: string): Promise<T> {
  const response = await request.get(pathAndQuery, { headers: { Authorization: `Bearer ${E2E_TOKEN}` } });
  if (!response.ok()) throw new Error(`${pathAndQuery}: ${response.status()} ${await response.text()}`);
  return parseExactJson(await response.text()) as T;
}

/** On the page of a record with two versions: asks for its state a minute before the latest one ("State as of"). */
export async function showStateBeforeLatestVersion(page: Page): Promise<void> {
  const versions = page.locator('article.version');
  await expect(versions).toHaveCount(2);
  const updateTime = await versions.first().locator('time').getAttribute('datetime');
  const before = new Date(new Date(updateTime!).getTime() - 60_000);
  const local = new Date(before.getTime() - before.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  const field = page.locator('.state-panel input[type="datetime-local"]');
  await expect(field).toHaveAccessibleName(/^State as of \(.+\)$/); // named as seen (label in name), with its time zone
  await field.fill(local);
  await page.getByRole('button', { name: 'Show', exact: true }).click();
}
