import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { api, demoFacts, openDashboard, screenshot } from './support/dashboard.js';

// The overview's record lookup: a table and its key open the record's history, with no scrolling of the feed and no
// link written by hand.

interface Events { events: { recordKey: Record<string, number>; changes: Record<string, unknown> }[] }
interface History { events: { eventId: string }[] }

/** The record page's address for a key, as the feed's links write it. */
const recordHash = (table: string, key: string) => `#/records/${table}?${new URLSearchParams({ key })}`;
const escape = (text: string) => text.replace(/[?^$.*+()[\]{}|\\]/g, '\\$&');
const lookupForm = (page: Page) => page.getByRole('form', { name: 'Look up a record' });

test('opens a record from its table and key, at the address the feed links to', async ({ page, request }) => {
  const fact = demoFacts.emailChange;
  const inserts = await api<Events>(request, `/api/events?table=${fact.table}&operation=INSERT&limit=1000`);
  const id = inserts.events.find((e) => e.changes.name === fact.customerName)!.recordKey.id;
  const key = `{"id":${id}}`;
  const history = await api<History>(request, `/api/history?table=${fact.table}&key=${encodeURIComponent(key)}&limit=1000`);

  await openDashboard(page);
  const form = lookupForm(page);
  await form.getByRole('combobox', { name: 'Table' }).selectOption(fact.table);
  const field = form.getByRole('textbox', { name: 'id' });
  await expect(field).toHaveAccessibleDescription('integer'); // the column's type, read out with the field
  await field.fill(` 00${id} `); // pasted with spaces and leading zeros: still the key the API means
  await screenshot(page, 'record-lookup');
  await form.getByRole('button', { name: 'Open record' }).click();

  await expect(page).toHaveURL(new RegExp(`${escape(recordHash(fact.table, key))}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`customer id ${id}`);
  await expect(page.locator('article.version')).toHaveCount(history.events.length);
  await expect(page.locator('#main')).toBeFocused(); // the router's focus on a new page, as for any link
});

test('can be used with the keyboard alone; a bad value is explained at its field, a key without history opens the record page', async ({ page, request }) => {
  const { tables } = await api<{ tables: { table: string; primaryKey: string[] }[] }>(request, '/api/tables');
  expect(tables.map((t) => t.table)).toContain('public.product');
  const products = await api<Events>(request, '/api/events?table=public.product&operation=INSERT&limit=1000');
  const unused = Math.max(...products.events.map((e) => e.recordKey.id)) + 1_000;

  await openDashboard(page);
  const form = lookupForm(page);
  const select = form.getByRole('combobox', { name: 'Table' });
  for (let i = 0; i < 40 && !(await select.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(select).toBeFocused();
  await page.keyboard.press('ArrowDown'); // customer → product (the tables are listed by name)
  await expect(select).toHaveValue('public.product');
  await page.keyboard.press('Tab');
  const field = form.getByRole('textbox', { name: 'id' });
  await expect(field).toBeFocused();

  await page.keyboard.type('PAP-007'); // a SKU, not the key
  await page.keyboard.press('Enter');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('integer id is a whole number (integer), e.g. 42.');
  await expect(field).toBeFocused();
  await expect(page).toHaveURL(/#\/$/); // nothing opened
  await screenshot(page, 'record-lookup-error');
  const { violations } = await new AxeBuilder({ page }).include('.record-lookup').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(String(unused));
  await expect(field).not.toHaveAttribute('aria-invalid'); // fixed: the error goes as the value changes
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${escape(recordHash('public.product', `{"id":${unused}}`))}$`));
  await expect(page.getByText('No change of this key is recorded.')).toBeVisible();
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await expect(page.getByText('Not found.')).toHaveCount(0);
});

test('starts with the table the feed is filtered by', async ({ page }) => {
  await openDashboard(page, '#/?table=public.shop_order');
  await expect(lookupForm(page).getByRole('combobox', { name: 'Table' })).toHaveValue('public.shop_order');
});

test('a key its integer column cannot hold is explained, at the field and on a record link, not shown as "no history"', async ({ page, request }) => {
  const { tables } = await api<{ tables: { table: string; columns: { name: string; type: string }[] }[] }>(request, '/api/tables');
  expect(tables.find((t) => t.table === 'public.product')!.columns.find((c) => c.name === 'id')!.type).toBe('integer');

  await openDashboard(page);
  const form = lookupForm(page);
  await form.getByRole('combobox', { name: 'Table' }).selectOption('public.product');
  const field = form.getByRole('textbox', { name: 'id' });
  await field.fill('99999999999'); // beyond a 32-bit integer
  await form.getByRole('button', { name: 'Open record' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('integer id is integer, from -2147483648 to 2147483647: 99999999999 is out of its range.');
  await expect(field).toBeFocused();
  await expect(page).toHaveURL(/#\/$/); // nothing opened

  // A link with such a key (hand-edited, or cut) says why no record can have it, and offers no export of nothing.
  for (const [key, reason] of [['{"id":1.5}', 'id is a whole number (integer): 1.5 is not one.'], ['{"id":99999999999}', '99999999999 is out of its range.']]) {
    await page.evaluate((hash) => { window.location.hash = hash; }, recordHash('public.product', key));
    const alert = page.getByRole('alert').filter({ hasText: 'No record can have this key.' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(reason);
    await expect(page.getByText('No change of this key is recorded.')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export record as JSON' })).toHaveCount(0);
  }
});
