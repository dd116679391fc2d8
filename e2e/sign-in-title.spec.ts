import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from './support/e2e-settings.js';
import { openDashboard } from './support/dashboard.js';

// The tab's title names the page shown: once the dashboard asks for a token (or for signing in to the application that
// embeds it), the tab must not keep the title of the record it no longer shows.
const recordPage = `#/records/public.customer?key=${encodeURIComponent('{"id":2}')}`;

test('the token screen shown after Forget token has its own title, and the record its own again after signing in', async ({ page }) => {
  await openDashboard(page, recordPage);
  await expect(page.locator('article.version').first()).toBeVisible();
  await expect(page).toHaveTitle('customer id 2 · Rowtrail');

  await page.getByRole('button', { name: 'Forget token' }).click();
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await expect(page).toHaveTitle('Access token needed · Rowtrail');

  await page.getByRole('textbox', { name: 'Token' }).fill(E2E_TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.locator('article.version').first()).toBeVisible();
  await expect(page).toHaveTitle('customer id 2 · Rowtrail');
});

test('the screen asking to sign in to the embedding application has its own title', async ({ page }) => {
  await openDashboard(page, recordPage);
  await expect(page).toHaveTitle('customer id 2 · Rowtrail');
  // The application serving the dashboard refuses its requests (its authorize() said no).
  await page.route(/\/api\//, (route) => route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'Sign in first.', auth: 'application' } } }));
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('heading', { name: 'Not signed in' })).toBeVisible();
  await expect(page).toHaveTitle('Not signed in · Rowtrail');
  await page.unrouteAll({ behavior: 'wait' });
});
