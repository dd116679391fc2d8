import { expect, test } from '@playwright/test';
import { api, feedItems, demoFacts, openDashboard, screenshot } from './support/dashboard.js';

test('filters the feed by user, keeping the filter in the URL', async ({ page, request }) => {
  const user = demoFacts.emailChange.user;
  const expected = await api<{ events: { eventId: string }[] }>(request, `/api/events?user=${user}&limit=1000`);
  expect(expected.events.length).toBeGreaterThan(1);

  await openDashboard(page);
  await page.getByLabel('User').fill(user);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`user=${user.replace('.', '\\.')}`));
  const items = feedItems(page);
  await expect(items).toHaveCount(expected.events.length);
  await expect(items.locator('.who')).toHaveText(expected.events.map(() => user));
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')))).toEqual(expected.events.map((e) => e.eventId));
  await screenshot(page, 'feed-filtered-by-user');

  // The filtered URL is shareable: opening it again shows the same feed.
  await page.reload();
  await expect(page.getByLabel('User')).toHaveValue(user);
  await expect(items).toHaveCount(expected.events.length);
});
