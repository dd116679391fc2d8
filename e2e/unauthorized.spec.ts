import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from './support/e2e-settings.js';
import { feedItems, openDashboard, screenshot } from './support/dashboard.js';

test('asks for the token without one, refuses a wrong one and accepts the right one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await screenshot(page, 'unauthorized');

  await page.getByRole('textbox', { name: 'Token' }).fill('not-the-token');
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await expect(page.getByText('The server refused the token.')).toBeVisible();
  // the field just typed into is marked, and says why (not "the stored token": the user typed it)
  await expect(page.getByRole('textbox', { name: 'Token' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: 'Token' })).toHaveAccessibleDescription(/^The server refused the token\. /);

  await page.getByRole('textbox', { name: 'Token' }).fill(E2E_TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Tracked tables' })).toBeVisible();
});

test('a deep link opened without a token asks for it, then shows the page', async ({ page }) => {
  await page.goto(`/#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Token' }).fill(E2E_TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.locator('article.version')).toHaveCount(2);
});

test('the whole sign-in link the server printed, pasted into the token field, signs in', async ({ page, baseURL }) => {
  await page.goto(`/#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  await page.getByRole('textbox', { name: 'Token' }).fill(`  ${baseURL}/#token=${encodeURIComponent(E2E_TOKEN)}\n`);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.locator('article.version')).toHaveCount(2);
  expect(await page.evaluate(() => localStorage.getItem('rowtrail.token'))).toBe(E2E_TOKEN);
});

test('a 401 arriving mid-session, on a page load or an export, leads to the token screen', async ({ page }) => {
  await openDashboard(page);
  await expect(feedItems(page).first()).toBeVisible();
  // The server stops accepting the stored token (rotated, or edited elsewhere) while the dashboard is open.
  await page.evaluate(() => localStorage.setItem('rowtrail.token', 'a-token-the-server-no-longer-accepts'));
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await expect(page.getByText('The server refused the token.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Token' }).fill(E2E_TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.locator('article.version')).toHaveCount(2);

  // The export button asks the API for a download link: a 401 there asks for the token too.
  await page.evaluate(() => localStorage.setItem('rowtrail.token', 'a-token-the-server-no-longer-accepts'));
  await page.getByRole('button', { name: 'Export record as JSON' }).click();
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await expect(page.getByText('Export failed')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Token' }).fill(E2E_TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.locator('article.version')).toHaveCount(2);
});

test('a sign-in link opened in a tab where the dashboard is already loaded is adopted, and leaves no token in the URL or history', async ({ page }) => {
  await page.goto('/#token=stale-token');
  await expect(page.getByText('The server refused the token.')).toBeVisible();
  expect(page.url()).not.toContain('token=');

  // Only the fragment changes: no reload, so only a hashchange tells the dashboard.
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await page.goto(`/#token=${encodeURIComponent(E2E_TOKEN)}`);
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Tracked tables' })).toBeVisible();
  await expect(page.getByText('The server refused the token.')).toHaveCount(0);
  expect(loads).toEqual([]);
  expect(page.url()).not.toContain('token=');
  expect(await page.evaluate(() => localStorage.getItem('rowtrail.token'))).toBe(E2E_TOKEN);

  // The entry holding the token was replaced, not kept: Back does not lead to it.
  await page.goBack();
  expect(page.url()).not.toContain('token=');
});
