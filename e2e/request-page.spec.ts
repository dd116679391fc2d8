import { expect, test } from '@playwright/test';
import { api, apiExact, feedItems, demoFacts, openDashboard, screenshot } from './support/dashboard.js';

interface ContextPage { context: { id: string }; events: { recordKey: Record<string, unknown>; changes: Record<string, [unknown, unknown]> }[] }

test('opens the page of a known request, grouped by table and record', async ({ page, request }) => {
  const fact = demoFacts.bulkPriceChange;
  await openDashboard(page, `#/?requestId=${fact.requestId}`);
  const items = feedItems(page);
  await expect(items).toHaveCount(fact.products.length);
  await items.first().getByRole('link', { name: fact.requestId }).click();

  await expect(page).toHaveURL(/#\/requests\//);
  const contextId = decodeURIComponent(page.url().split('#/requests/')[1]);
  // Prices are shown as PostgreSQL wrote them (24.90, not 24.9).
  const expected = await apiExact<ContextPage>(request, `/api/contexts/${contextId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Request ${fact.requestId}`);
  await expect(page).toHaveTitle(`Request ${fact.requestId} · Rowtrail`); // the tab says what the heading says, not the context id
  await expect(page.locator('.facts')).toContainText(fact.user);
  await expect(page.locator('.facts')).toContainText(`POST ${fact.url}`);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText([/product/]);
  const records = page.locator('article.request-record');
  await expect(records).toHaveCount(fact.products.length);
  for (const event of expected.events) {
    const record = page.locator(`article.request-record[data-record-key='${JSON.stringify(event.recordKey)}']`);
    await expect(record.locator('.field-change[data-column="price"] .value.old')).toHaveText(String(event.changes.price[0]));
    await expect(record.locator('.field-change[data-column="price"] .value.new')).toHaveText(String(event.changes.price[1]));
  }
  await screenshot(page, 'request-page');
});

test('a request with more changes than one page says how many are shown, not a false total', async ({ page, request }) => {
  // The warehouse scanner's job wrote 9,999 versions of one product: 50 pages of 200.
  const fact = demoFacts.largeRecord;
  const job = await api<{ events: { context: { id: string } }[] }>(request, '/api/events?requestId=job-inventory-sync&limit=1');
  await openDashboard(page, `#/requests/${job.events[0].context.id}`);
  const total = (fact.versions - 1).toLocaleString('en-US');
  const progress = page.locator('.request-progress');
  await expect(progress).toHaveText(`Showing the first 200 of ${total} changes, oldest first; more load as you scroll.`);
  // One product so far: more pages may hold other records, so the heading does not present it as the total.
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('product 1 record so far');
  // Scrolling to the end of the list loads the next page, and only that one. (Not a click on "Load more": a click
  // scrolls the button into view first, which loads the page and replaces the button, so the click kept retrying,
  // scrolling to each new end and loading page after page.)
  await page.locator('.feed-end').scrollIntoViewIfNeeded();
  await expect(progress).toHaveText(`Showing the first 400 of ${total} changes, oldest first; more load as you scroll.`);
  await page.waitForLoadState('networkidle');
  await expect(progress).toHaveText(`Showing the first 400 of ${total} changes, oldest first; more load as you scroll.`);
});

test("each change of a job spanning a week shows its own time; a request's changes made in one second do not", async ({ page, request }) => {
  const job = await api<{ events: { context: { id: string } }[] }>(request, '/api/events?requestId=job-inventory-sync&limit=1');
  const contextId = job.events[0].context.id;
  const expected = await api<{ context: { createdAt: string }; events: { eventId: string; createdAt: string }[] }>(request, `/api/contexts/${contextId}?limit=3`);
  await openDashboard(page, `#/requests/${contextId}`);
  const changes = page.locator('.request-event');
  await expect(changes).toHaveCount(200);
  for (const event of expected.events) {
    const time = page.locator(`.request-event[data-scroll-anchor="${event.eventId}"] .feed-head time`);
    await expect(time).toHaveAttribute('datetime', event.createdAt);
    // in the reader's time zone, with how long ago, as on the record's timeline
    await expect(time).toHaveText(/\d{1,2}:\d{2}:\d{2}.*\S/);
    await expect(page.locator(`.request-event[data-scroll-anchor="${event.eventId}"] .feed-head .ago`)).toHaveText(/ago|yesterday/);
  }
  const shown = await changes.locator('.feed-head time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')));
  expect(shown).toHaveLength(200);
  expect(new Set(shown).size).toBe(200); // a minute apart: every change its own time, not the job's start alone
  await expect(page.locator('.facts')).toContainText('each change below shows its own time');

  // The bulk price change wrote its three changes 40 ms apart: in the second "When" shows, unless they crossed into the next.
  const fact = demoFacts.bulkPriceChange;
  const bulk = await api<{ events: { context: { id: string } }[] }>(request, `/api/events?requestId=${fact.requestId}&limit=1`);
  const bulkId = bulk.events[0].context.id;
  const bulkPage = await api<{ context: { createdAt: string }; events: { createdAt: string }[] }>(request, `/api/contexts/${bulkId}`);
  const second = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const oneSecond = bulkPage.events.every((e) => second(e.createdAt) === second(bulkPage.context.createdAt));
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/requests/${bulkId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Request ${fact.requestId}`);
  await expect(page.locator('.request-event')).toHaveCount(fact.products.length);
  await expect(page.locator('.request-event time')).toHaveCount(oneSecond ? 0 : fact.products.length);
  if (oneSecond) await expect(page.locator('.facts')).not.toContainText('its own time');
});

test('a request shown whole counts its changes and records in the singular for one', async ({ page }) => {
  const fact = demoFacts.emailChange;
  await openDashboard(page, `#/?requestId=${fact.requestId}`);
  // the filtered feed, not a first render of another (a click on a link being replaced can be lost)
  await expect(feedItems(page)).toHaveCount(1);
  await feedItems(page).first().getByRole('link', { name: fact.requestId }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('customer 1 record');
  await expect(page.locator('.request-progress')).toHaveText('1 change to 1 record in 1 table.');
});

test('an unknown request id shows "Request not found", not an error', async ({ page }) => {
  await openDashboard(page, '#/requests/00000000-0000-7000-8000-000000000000');
  const notFound = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Request not found', level: 1 }) });
  await expect(notFound).toContainText('00000000-0000-7000-8000-000000000000');
  await expect(page).toHaveTitle('Request not found · Rowtrail');
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await expect(notFound.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Export/ })).toHaveCount(0);
  await screenshot(page, 'request-not-found');

  // A request id where the context id belongs: the page offers the feed filtered by that request id.
  const fact = demoFacts.emailChange;
  await page.evaluate((id) => { window.location.hash = `#/requests/${id}`; }, fact.requestId);
  await expect(page.getByRole('heading', { name: 'Request not found', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'filter the activity by this request id' }).click();
  await expect(feedItems(page)).toHaveCount(1);
  await expect(feedItems(page).getByRole('link', { name: fact.requestId })).toBeVisible();
});
