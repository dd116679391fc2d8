import { expect, test } from '@playwright/test';
import { apiExact, feedItems, demoFacts, openDashboard, screenshot } from './support/dashboard.js';

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
