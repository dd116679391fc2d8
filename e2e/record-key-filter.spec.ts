import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { feedItems, openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// "Who untagged this article?": a join table's links have a composite key, and one side of it lists all of one
// article's links. The record lookup, with the other key column left empty, filters the feed by the part typed.
const table = `article_tag_${Date.now()}`; // a table of its own, also when a running demo is reused

test.afterAll(() => removeTrackedTable(`public.${table}`));

test('the record lookup with part of a composite key lists every record that has it, as a feed filter that can be removed', async ({ page }) => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (article_id int, tag_id int, PRIMARY KEY (article_id, tag_id))`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`INSERT INTO public.${table} VALUES (5, 1), (5, 2), (6, 1)`);
    await client.query(`DELETE FROM public.${table} WHERE article_id = 5 AND tag_id = 1`);
  } finally {
    await client.end();
  }

  await openDashboard(page);
  // its long name wraps inside its card instead of running over the next one
  const card = page.getByRole('list', { name: 'Tracked tables' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: table, exact: true }) });
  expect(await card.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const form = page.getByRole('form', { name: 'Look up a record' });
  await form.getByRole('combobox', { name: 'Table' }).selectOption(`public.${table}`);
  // nothing typed: every key column is asked for; once one is typed, the others may stay empty and are not marked
  await form.getByRole('button', { name: 'Open record' }).click();
  const tagField = form.getByRole('textbox', { name: 'tag_id' });
  await expect(tagField).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('textbox', { name: 'article_id' }).fill('5');
  await expect(tagField).not.toHaveAttribute('aria-invalid', 'true');
  // tag_id left empty: the button says what happens
  await form.getByRole('button', { name: 'Show matching changes' }).click();

  await expect(page).toHaveURL(new RegExp(`#/\\?table=public.${table}&recordKey=${encodeURIComponent('{"article_id":5}')}$`));
  await expect(feedItems(page)).toHaveCount(3);
  // the DELETE, newest first; its key in the order of the primary key (article_id, tag_id), not jsonb's (tag_id first)
  await expect(feedItems(page).first().getByRole('link', { name: `${table} article_id 5, tag_id 1` })).toBeVisible();
  await expect(feedItems(page).filter({ hasText: 'article_id 6' })).toHaveCount(0);
  const filters = page.getByRole('form', { name: 'Filter the activity feed' });
  await expect(filters.getByText('article_id 5', { exact: true })).toBeVisible();
  await expect(page.getByText(`Exports the applied filters: table ${table}; key article_id 5.`)).toBeVisible();
  await screenshot(page, 'feed-record-key-filter');
  const { violations } = await new AxeBuilder({ page }).include('form.filters').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await filters.getByRole('button', { name: /^Remove the key filter/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/\\?table=public.${table}$`));
  await expect(feedItems(page)).toHaveCount(4);

  // the other key column alone, through a link; another table drops the key, which names this table's columns
  await page.evaluate((h) => { window.location.hash = h; }, `#/?table=public.${table}&recordKey=${encodeURIComponent('{"tag_id":1}')}`);
  await expect(feedItems(page)).toHaveCount(3);
  await expect(feedItems(page).filter({ hasText: 'tag_id 2' })).toHaveCount(0);
  await filters.getByRole('combobox', { name: 'Table' }).selectOption('public.customer');
  await expect(page).toHaveURL(/#\/\?table=public.customer$/);
});

test('a recordKey link without exactly one table is reported, not applied; one naming another column gets the API\'s reason', async ({ page }) => {
  await openDashboard(page, `#/?recordKey=${encodeURIComponent('{"article_id":5}')}`);
  await expect(page.getByText('a record key needs exactly one table')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Remove the key filter/ })).toHaveCount(0);

  await page.evaluate((h) => { window.location.hash = h; }, `#/?table=public.customer&recordKey=${encodeURIComponent('{"nope":1}')}`);
  await expect(page.getByRole('alert').filter({ hasText: 'recordKey: "nope" is not a primary-key column of public.customer' }).first()).toBeVisible();
  const remove = page.getByRole('button', { name: 'Remove the key filter nope 1' });
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/\?table=public.customer$/);
  await expect(feedItems(page).first()).toBeVisible();
  // the button went with the filter: focus stays in the form, on the table it filtered
  await expect(page.getByRole('form', { name: 'Filter the activity feed' }).getByRole('combobox', { name: 'Table' })).toBeFocused();
});
