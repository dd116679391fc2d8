import { expect, test } from '@playwright/test';
import pg from 'pg';
import { openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// Real writes the capture records as changes (a json column and a composite type are compared as text, an array with its
// bounds) but whose jsonb diff reads the same on both sides: the dashboard says so rather than show "x → x".
const table = `equal_sides_${Date.now()}`; // a table of its own, also when a running demo is reused

// The demo's database is shared by every spec of the run: the table, its history and its registry row go again
// afterwards, so later specs see the demo's tables only.
test.afterAll(() => removeTrackedTable(`public.${table}`));

test('a change whose two sides are equal as JSON values is explained, not shown as old → new', async ({ page }) => {
  const url = e2eDatabaseUrl();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, doc json, tags int[], amount jsonb, note text)`);
    await client.query(`INSERT INTO public.${table} VALUES (1, '{"b": 1, "a": [1, 2]}', '{1,2,3}', '{"n": 1.0}', 'x')`);
    rowtrailCli('install', '--table', `public.${table}`);
    await client.query(`UPDATE public.${table} SET doc = '{"a": [1,2],   "b": 1}'`); // key order and whitespace
    await client.query(`UPDATE public.${table} SET tags = '[0:2]={1,2,3}'`); // array bounds
    await client.query(`UPDATE public.${table} SET amount = '{"n": 1.00}', note = 'y'`); // jsonb keeps 1.0 and 1.00 equal: no entry
  } finally {
    await client.end();
  }

  await openDashboard(page, `#/records/public.${table}?key=${encodeURIComponent('{"id":1}')}`);
  const versions = page.locator('article.version');
  await expect(versions).toHaveCount(3); // the three updates (the row was inserted before the install)
  for (const [column, value] of [['doc', '{"a":[1,2],"b":1}'], ['tags', '[1,2,3]']]) {
    const field = page.locator(`.field-change[data-column="${column}"]`);
    await expect(field).toHaveCount(1);
    await expect(field.locator('.diff-note')).toHaveText(/^Both sides are equal as recorded: the column's text changed only in what JSON does not keep/);
    await expect(field.locator('.value')).toHaveText(value); // the value, once
    await expect(field.getByRole('img', { name: 'changed to' })).toHaveCount(0);
  }
  await expect(page.locator('.field-change[data-column="amount"]')).toHaveCount(0);
  await expect(page.locator('.field-change[data-column="note"] .value.new')).toHaveText('y'); // a real change as before
  await screenshot(page, 'record-equal-sides');
});
