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

test('the filters can be operated with the keyboard: focus and typed text survive every change', async ({ page }) => {
  await openDashboard(page);
  await expect(feedItems(page).first()).toBeVisible();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}${(el as HTMLInputElement).type === 'checkbox' ? `:${el.parentElement?.textContent?.trim()}` : ''}` : 'none';
  });
  const form = page.getByRole('form', { name: 'Filter the activity feed' });
  const tableSelect = form.getByRole('combobox', { name: 'Table' });
  for (let i = 0; i < 40 && !(await tableSelect.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(tableSelect).toBeFocused();

  // ArrowDown on the closed select picks the next table and applies it.
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/[?&]table=/);
  const table = await tableSelect.inputValue();
  expect(table).not.toBe('');
  await expect(feedItems(page).first()).toBeVisible();
  expect(await focused()).toBe('select');
  await expect(tableSelect).toBeFocused();

  // With one table, its Changed column comes next; then the operations. Space on a checkbox toggles the operation and
  // leaves focus on it.
  await page.keyboard.press('Tab');
  await expect(form.getByRole('combobox', { name: 'Changed' })).toBeFocused();
  await page.keyboard.press('Tab');
  const insert = form.getByRole('checkbox', { name: 'insert' });
  await expect(insert).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/operation=INSERT/);
  await expect(insert).toBeChecked();
  await expect(insert).toBeFocused();

  // Text typed but not applied stays while another filter changes.
  await page.keyboard.press('Tab'); // update
  await page.keyboard.press('Tab'); // delete
  await page.keyboard.press('Tab'); // user
  const user = form.getByRole('textbox', { name: 'User' });
  await expect(user).toBeFocused();
  await page.keyboard.type('nobody-yet');
  await page.keyboard.press('Shift+Tab');
  const del = form.getByRole('checkbox', { name: 'delete' });
  await expect(del).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/operation=INSERT&operation=DELETE/);
  await expect(del).toBeFocused();
  await expect(user).toHaveValue('nobody-yet');
  expect(new URL(page.url()).hash).not.toContain('nobody-yet');

  // Enter in the text field applies it, focus stays in the field.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(demoFacts.emailChange.user);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`user=${demoFacts.emailChange.user.replace('.', '\\.')}`));
  await expect(user).toBeFocused();
  await expect(user).toHaveValue(demoFacts.emailChange.user);

  // A filter changed from outside the form (a link) updates the form.
  await page.evaluate(() => { window.location.hash = '#/?user=someone.else'; });
  await expect(user).toHaveValue('someone.else');
  await expect(form.getByRole('checkbox', { name: 'insert' })).not.toBeChecked();
  await expect(tableSelect).toHaveValue('');
});

test('filters the feed of one table by the column an update changed ("who changed this email?")', async ({ page, request }) => {
  const fact = demoFacts.emailChange;
  const expected = await api<{ events: { eventId: string; changes: Record<string, unknown> }[] }>(request, `/api/events?table=${fact.table}&changed=${fact.column}&limit=1000`);
  expect(expected.events.length).toBeGreaterThan(0);
  expect(expected.events.every((e) => fact.column in e.changes)).toBe(true);

  await openDashboard(page);
  const filters = page.getByRole('form', { name: 'Filter the activity feed' });
  await expect(filters.getByRole('combobox', { name: 'Changed' })).toHaveCount(0); // offered for one table only
  await filters.getByRole('combobox', { name: 'Table' }).selectOption(fact.table);
  await filters.getByRole('combobox', { name: 'Changed' }).selectOption(fact.column);
  await expect(page).toHaveURL(new RegExp(`changed=${fact.column}`));
  const items = feedItems(page);
  await expect(items).toHaveCount(expected.events.length);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')))).toEqual(expected.events.map((e) => e.eventId));
  await expect(items.filter({ hasText: fact.new }).first()).toBeVisible();
  await expect(page.getByText(`Exports the applied filters: table customer; changed ${fact.column}.`)).toBeVisible();

  // another table drops the column, which names this table's
  await filters.getByRole('combobox', { name: 'Table' }).selectOption('public.product');
  await expect(page).not.toHaveURL(/changed=/);
});

test('a version links to every change of each field it changed, in that record', async ({ page, request }) => {
  const fact = demoFacts.emailChange;
  const inserts = await api<{ events: { recordKeyText: string; changes: Record<string, unknown> }[] }>(request, `/api/events?table=${fact.table}&operation=INSERT&limit=1000`);
  const key = inserts.events.find((e) => e.changes.name === fact.customerName)!.recordKeyText;
  const expected = await api<{ events: { eventId: string }[] }>(request, `/api/events?table=${fact.table}&recordKey=${encodeURIComponent(key)}&changed=${fact.column}`);
  expect(expected.events.length).toBeGreaterThan(0);

  await openDashboard(page, `#/records/${fact.table}?key=${encodeURIComponent(key)}`);
  const version = page.locator('article.version').filter({ hasText: fact.new }).first();
  await version.getByRole('link', { name: `Every change of ${fact.column} in this record` }).click();
  await expect(page).toHaveURL(new RegExp(`#/\\?table=${fact.table}&recordKey=.*&changed=${fact.column}$`));
  await expect(feedItems(page)).toHaveCount(expected.events.length);
  expect(await feedItems(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')))).toEqual(expected.events.map((e) => e.eventId));
  await expect(page.getByRole('form', { name: 'Filter the activity feed' }).getByRole('combobox', { name: 'Changed' })).toHaveValue(fact.column);
});

test('a To before From is explained under the fields and not applied; Clear keeps keyboard focus in the form', async ({ page }) => {
  await openDashboard(page);
  await expect(feedItems(page).first()).toBeVisible();
  await page.locator('input[name="from"]').fill('2026-12-01T00:00');
  const to = page.locator('input[name="to"]');
  await to.fill('2026-11-30T00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(to).toBeFocused();
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(to).toHaveAccessibleDescription('To is before From: choose a To after From, or clear one of them.');
  expect(new URL(page.url()).hash).not.toContain('from=');
  await expect(page.getByText('Something went wrong')).toHaveCount(0);

  await to.fill('2026-12-02T00:00');
  await expect(to).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/from=.*to=/);
  await expect(page).toHaveTitle('Activity · Rowtrail');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page).not.toHaveURL(/from=/);
  await expect(page.getByRole('form', { name: 'Filter the activity feed' }).getByRole('combobox', { name: 'Table' })).toBeFocused();
});

test('a change made without application context links to the feed of its database user\'s such changes', async ({ page, request }) => {
  await openDashboard(page, '#/?table=public.product');
  const who = feedItems(page).locator('a.who', { hasText: `(database, ${demoFacts.rawSqlCorrection.applicationName})` }).first();
  await expect(who).toBeVisible();
  const dbUser = (await who.getAttribute('href'))!.match(/dbUser=([^&]+)/)![1];
  const expected = await api<{ events: { eventId: string; context: { metadata: object } }[] }>(request, `/api/events?dbUser=${dbUser}&limit=1000`);
  expect(expected.events.length).toBeGreaterThan(0);
  expect(expected.events.every((e) => Object.keys(e.context.metadata).length === 0)).toBe(true);

  await who.click();
  await expect(page).toHaveURL(new RegExp(`[?&]dbUser=${dbUser}(&|$)`));
  await expect(page.getByLabel('Database role')).toHaveValue(decodeURIComponent(dbUser.replace(/\+/g, ' ')));
  const items = feedItems(page);
  await expect(items).toHaveCount(expected.events.length);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')))).toEqual(expected.events.map((e) => e.eventId));
  await expect(page.getByText(/Exports the applied filters: database role .* \(without application context\)/)).toBeVisible();
});

test('a link naming its table without the schema filters as with it, and the next change writes it clean', async ({ page, request }) => {
  const expected = await api<{ events: { eventId: string }[] }>(request, '/api/events?table=public.customer&operation=UPDATE&limit=1000');
  expect(expected.events.length).toBeGreaterThan(0);
  // a bare name, an operation in lower case: both as the API reads them
  await openDashboard(page, '#/?table=customer&operation=update');
  await expect(page.getByRole('alert').filter({ hasText: 'ignored' })).toHaveCount(0);
  const form = page.getByRole('form', { name: 'Filter the activity feed' });
  const tableSelect = form.getByRole('combobox', { name: 'Table' });
  await expect(tableSelect).toHaveValue('public.customer');
  await expect(tableSelect.locator('option', { hasText: 'customer' })).toHaveCount(1); // no "(current selection)" twin
  await expect(form.getByRole('checkbox', { name: 'update' })).toBeChecked();
  await expect(form.getByRole('combobox', { name: 'Changed' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Look up a record' }).getByRole('combobox', { name: 'Table' })).toHaveValue('public.customer');
  const items = feedItems(page);
  await expect(items.first()).toHaveAttribute('data-event-id', expected.events[0].eventId);
  const shown = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')));
  expect(shown).toEqual(expected.events.slice(0, shown.length).map((e) => e.eventId));

  await form.getByRole('combobox', { name: 'Changed' }).selectOption('email');
  await expect(page).toHaveURL(/#\/\?table=public\.customer&operation=UPDATE&changed=email$/);
});
