import { expect, test } from '@playwright/test';
import { api, feedItems, openDashboard } from './support/dashboard.js';

interface Events { events: { eventId: string; createdAt: string }[] }

const HOUR = 3_600_000;
/** `2026-12-01T06:00`: a time as people write it in a link, without offset (the API reads it as UTC). */
const withoutOffset = (ms: number) => new Date(ms).toISOString().slice(0, 16);
/** What a datetime-local field shows for an instant in the given zone (`2026-12-01T09:00`). */
const localField = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)).replace(' ', 'T');
/** How far the zone's wall clock is ahead of UTC at that instant (LA in December: −8 h). */
const zoneOffset = (ms: number, timeZone: string) => Date.parse(`${localField(new Date(ms).toISOString(), timeZone)}Z`) - Math.floor(ms / 60_000) * 60_000;
/** A filter time in the dashboard's URL. */
const linkParam = (url: string, name: string) => new URLSearchParams(new URL(url).hash.split('?')[1] ?? '').get(name);

// The same link must show the same events to a viewer west and east of Greenwich.
for (const timezoneId of ['America/Los_Angeles', 'Asia/Tokyo']) {
  test.describe(`a viewer in ${timezoneId}`, () => {
    test.use({ timezoneId });

    test('sees, for a link with times without offset, the events the API gives for those UTC times', async ({ page, request }) => {
      // A three-hour window around a demo event, written without offset.
      const { events: recent } = await api<Events>(request, '/api/events?limit=200');
      const start = Math.floor(new Date(recent[150].createdAt).getTime() / HOUR) * HOUR - HOUR;
      const [from, to] = [withoutOffset(start), withoutOffset(start + 3 * HOUR)];
      const expected = await api<Events>(request, `/api/events?from=${from}&to=${to}&limit=50`);
      expect(expected.events.length).toBeGreaterThan(0);
      // Read as this viewer's local time, the link would select other events: the check below can tell.
      const asLocal = start - zoneOffset(start, timezoneId);
      const local = await api<Events>(request, `/api/events?from=${withoutOffset(asLocal)}&to=${withoutOffset(asLocal + 3 * HOUR)}&limit=50`);
      expect(local.events.map((e) => e.eventId)).not.toEqual(expected.events.map((e) => e.eventId));

      await openDashboard(page, `#/?from=${from}&to=${to}`);
      const items = feedItems(page);
      await expect(items).toHaveCount(expected.events.length);
      expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')))).toEqual(expected.events.map((e) => e.eventId));
      await expect(page.getByRole('alert').filter({ hasText: 'ignored' })).toHaveCount(0);

      // The fields say their zone and show the link's instants in it.
      const form = page.getByRole('form', { name: 'Filter the activity feed' });
      const fromField = form.getByLabel(`From (${timezoneId})`);
      await expect(fromField).toHaveValue(localField(`${from}Z`, timezoneId));
      await expect(form.getByLabel(`To (${timezoneId})`)).toHaveValue(localField(`${to}Z`, timezoneId));
    });

    test('a time typed into the From field is the local time there, written to the link with an explicit offset', async ({ page }) => {
      await openDashboard(page);
      const form = page.getByRole('form', { name: 'Filter the activity feed' });
      await form.getByLabel(`From (${timezoneId})`).fill('2026-12-01T09:00');
      await form.getByRole('button', { name: 'Apply' }).click();
      const wall = Date.parse('2026-12-01T09:00:00Z');
      await expect.poll(() => linkParam(page.url(), 'from')).toBe(new Date(wall - zoneOffset(wall, timezoneId)).toISOString());
    });
  });
}

test('a date alone means UTC midnight, like a time without offset', async ({ page }) => {
  await openDashboard(page, '#/?from=2026-12-01&to=2026-12-01T06:00');
  await expect(page.getByRole('heading', { name: 'Activity', level: 2 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Filter the activity feed' });
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(form.getByLabel(`From (${zone})`)).toHaveValue(localField('2026-12-01T00:00:00Z', zone));
  await expect(page.getByRole('alert').filter({ hasText: 'ignored' })).toHaveCount(0);
});

test('a time that is not an ISO 8601 date or time is reported as ignored, not read as a year', async ({ page }) => {
  await openDashboard(page, '#/?from=1&user=sophie.support');
  const notice = page.getByRole('alert').filter({ hasText: 'ignored' });
  await expect(notice).toContainText('from=1');
  await expect(notice).toContainText('ISO 8601');
  await expect(feedItems(page).locator('.who').first()).toHaveText('sophie.support'); // the rest of the link applies
});
