import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from './support/e2e-settings.js';
import { screenshot } from './support/dashboard.js';

test('asks for the token without one, refuses a wrong one and accepts the right one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await screenshot(page, 'unauthorized');

  await page.getByRole('textbox', { name: 'Token' }).fill('not-the-token');
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await expect(page.getByText('The server refused the stored token.')).toBeVisible();

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
