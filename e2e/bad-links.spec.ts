import { expect, test, type Page } from '@playwright/test';
import { feedItems, openDashboard, screenshot } from './support/dashboard.js';
import { E2E_TOKEN } from './support/e2e-settings.js';

const customer = `#/records/public.customer?key=${encodeURIComponent('{"id":1}')}`;

/** Uncaught errors of the page: a bad link must never produce one. */
function pageErrors(page: Page): Error[] {
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  return errors;
}

test('a record link with a bad compare or at parameter shows the record and says what was ignored', async ({ page }) => {
  const errors = pageErrors(page);
  await openDashboard(page, `${customer}&compare=1,x`);
  await expect(page.locator('article.version')).toHaveCount(2);
  const notice = page.getByRole('alert').filter({ hasText: 'ignored' });
  await expect(notice).toContainText('compare');
  await expect(notice).toContainText('1,x');
  await expect(page.locator('.compare-panel')).toHaveCount(0);

  await page.evaluate((hash) => { window.location.hash = hash; }, `${customer}&at=garbage`);
  await expect(page.getByRole('alert').filter({ hasText: 'ignored' })).toContainText('garbage');
  await expect(page.locator('article.version')).toHaveCount(2);
  await expect(page.locator('.state-panel input[type="datetime-local"]')).toHaveValue('');
  await screenshot(page, 'bad-link-notice');

  // Acting on the page leaves the bad parameter behind.
  await page.getByRole('checkbox').first().check();
  await expect(page).not.toHaveURL(/at=garbage/);
  await expect(page.getByRole('alert').filter({ hasText: 'ignored' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a feed link with a bad time range shows the feed and says what was ignored', async ({ page }) => {
  const errors = pageErrors(page);
  await openDashboard(page, '#/?from=garbage&operation=UPSERT&user=sophie.support');
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  const notice = page.getByRole('alert').filter({ hasText: 'ignored' });
  await expect(notice).toContainText('from');
  await expect(notice).toContainText('UPSERT');
  await expect(feedItems(page).first()).toBeVisible();
  await expect(feedItems(page).locator('.who').first()).toHaveText('sophie.support'); // the valid filter still applies
  expect(errors).toEqual([]);
});

test('a malformed path shows an invalid-link screen with a way back', async ({ page }) => {
  const errors = pageErrors(page);
  await openDashboard(page, `#/records/public.%E0%A4%A?key=${encodeURIComponent('{"id":1}')}`);
  await expect(page.getByRole('heading', { name: 'Invalid link', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the activity overview' }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
});

test('an unexpected error shows a friendly error screen, keeps the app usable and clears on navigation', async ({ page }) => {
  // A browser without IntersectionObserver (used by the feed's infinite scroll) makes the overview fail while rendering.
  await page.addInitScript(() => { delete (window as { IntersectionObserver?: unknown }).IntersectionObserver; });
  await page.goto(`/#token=${encodeURIComponent(E2E_TOKEN)}`);
  await expect(page).toHaveURL(/#\/$/); // token adopted
  await page.goto(`/${customer}`);
  await expect(page.locator('article.version')).toHaveCount(2);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Something went wrong' }) });
  await expect(screen).toBeVisible();
  await expect(screen.getByRole('link', { name: 'Back to the activity overview' })).toBeVisible();
  await expect(screen.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Forget token' })).toBeVisible(); // the header still works
  await screenshot(page, 'error-screen');

  await page.goBack();
  await expect(page.locator('article.version')).toHaveCount(2);
  await expect(screen).toHaveCount(0);
});

test('a mangled sign-in link asks for the token instead of breaking', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto('/#token=%E0%A4%A');
  await expect(page.getByRole('heading', { name: 'Access token needed' })).toBeVisible();
  await expect(page).toHaveURL(/#\/$/);
  expect(errors).toEqual([]);
});

test('"Try again" is offered when a retry can help (server error), not for a request that does not exist', async ({ page }) => {
  // A server error (the database restarting): asking again can work.
  let failures = 0;
  await page.route('**/api/tables*', (route) => {
    failures++;
    return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'database restarting' } }) });
  });
  await openDashboard(page);
  const tablesError = page.getByRole('alert').filter({ hasText: 'database restarting' });
  await expect(tablesError.getByRole('button', { name: 'Try again' })).toBeVisible();
  expect(failures).toBeGreaterThan(0);
  await page.unroute('**/api/tables*');
  await tablesError.getByRole('button', { name: 'Try again' }).click();
  await expect(tablesError).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Tracked tables' })).toBeVisible();

  // An unknown request (404): it will not appear by asking again, and it is no failure either.
  await page.evaluate(() => { window.location.hash = '#/requests/00000000-0000-7000-8000-000000000000'; });
  const notFound = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Request not found' }) });
  await expect(notFound).toBeVisible();
  await expect(notFound).toContainText('00000000-0000-7000-8000-000000000000'); // the id is still shown
  await expect(notFound.getByRole('button', { name: 'Try again' })).toHaveCount(0);
});

test('a record link whose key is not one of the table\'s says what is wrong with it, without export or "State as of"', async ({ page }) => {
  const errors = pageErrors(page);
  await openDashboard(page, `#/records/public.customer?key=${encodeURIComponent('{"idx":1}')}`);
  const refused = page.getByRole('alert').filter({ hasText: 'Cannot show this.' });
  await expect(refused).toContainText('"idx" is not a primary-key column of public.customer (primary key: id)');
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export record as JSON' })).toHaveCount(0);
  await expect(page.locator('.state-panel')).toHaveCount(0);

  expect(errors).toEqual([]);
});

test('a record link with a table but no key says the key is missing and offers the record lookup for that table', async ({ page }) => {
  const errors = pageErrors(page);
  await openDashboard(page, '#/records/public.customer');
  const problem = page.getByRole('alert');
  await expect(problem.getByRole('heading', { name: 'No record key in this link', level: 1 })).toBeVisible();
  await expect(problem).toContainText('This link names the table public.customer but no record key');
  await expect(page.getByText('Page not found')).toHaveCount(0);
  await expect(page).toHaveTitle('No record key in this link · Rowtrail');
  await screenshot(page, 'record-key-missing');
  await problem.getByRole('link', { name: 'Look up a record of customer' }).click();
  await expect(page).toHaveURL(/#\/\?table=public\.customer$/);
  await expect(page.getByRole('form', { name: 'Look up a record' }).getByRole('combobox', { name: 'Table' })).toHaveValue('public.customer');

  // an empty key is no key either; a table that is not tracked is said to be so, with the way back to the overview
  await page.evaluate((hash) => { window.location.hash = hash; }, '#/records/public.nope?key=');
  await expect(page.getByRole('heading', { name: 'No record key in this link', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('public.nope is not a table Rowtrail tracks');
  await expect(page.getByRole('link', { name: /Look up a record/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Back to the activity overview' })).toBeVisible();

  // any other unknown path is still "Page not found"
  await page.evaluate((hash) => { window.location.hash = hash; }, '#/nowhere');
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
});
