import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { feedItems, openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// A key change is filed under the new key. At the old key, a record that had the key later (the key reused, two keys
// swapped in one statement) read as the same record as the one that left: two INSERTs in one history, compares across
// the two rows, "first version reached" for the other row's insert. The timeline now marks each key change away.
const reused = `reused_${Date.now()}`; // tables of their own, also when a running demo is reused
const swapped = `swapped_${Date.now()}`;

test.afterAll(async () => {
  await removeTrackedTable(`public.${reused}`);
  await removeTrackedTable(`public.${swapped}`);
});

async function sql(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const recordPage = (table: string, id: number, params = '') => `#/records/public.${table}?key=${encodeURIComponent(`{"id":${id}}`)}${params}`;

test('a reused key shows where its first record left, counts each record apart and compares no versions across', async ({ page }) => {
  await sql(`CREATE TABLE public.${reused} (id int PRIMARY KEY, name text)`);
  rowtrailCli('install', '--table', `public.${reused}`);
  await sql(
    `INSERT INTO public.${reused} VALUES (6, 'Farid Haddad')`,
    `UPDATE public.${reused} SET name = 'Farid H.' WHERE id = 6`,
    `UPDATE public.${reused} SET id = 60 WHERE id = 6`,
    `INSERT INTO public.${reused} VALUES (6, 'New Six')`,
  );
  await openDashboard(page, recordPage(reused, 6));
  await expect(page).toHaveTitle(`${reused} id 6 · Rowtrail`);
  const timeline = page.getByRole('feed');
  // newest first: the new record's insert, the boundary, then the versions of the record that left
  await expect(timeline.locator('article')).toHaveCount(4);
  await expect(timeline.locator('article').nth(0)).toContainText('New Six');
  const boundary = timeline.locator('article').nth(1);
  await expect(boundary).toHaveClass(/key-boundary/);
  await expect(boundary).toContainText('Above: 1 version of the record that had this key afterwards · first version reached');
  await expect(boundary).toContainText('Key changed to id 60 here');
  await expect(boundary).toContainText('the versions below are of the record whose key changed to id 60. The versions above are of the record that had this key afterwards');
  await expect(timeline.locator('article.version')).toHaveCount(3);
  await expect(timeline.locator('article').nth(2)).toContainText('Farid H.');
  await expect(page.getByText('2 versions of the record whose key changed to id 60 · first version reached', { exact: true })).toBeVisible();
  await expect(page.locator('.moved-away')).toContainText('This key has had more than one record.');
  await screenshot(page, 'key-boundary');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), colorScheme).toEqual([]);
  }

  // ticking the new record's version offers no version of the other record beside it
  const insert = await timeline.locator('article.version').nth(0).getAttribute('data-event-id');
  const older = await timeline.locator('article.version').nth(2).getAttribute('data-event-id');
  await page.getByRole('checkbox', { name: `Compare version #${insert}` }).check();
  await expect(page.getByRole('checkbox', { name: `Compare version #${older}` })).toBeDisabled();
  await expect(timeline.locator('article.version').nth(2)).toContainText('compare (across a key change)');
  // and a link comparing across the boundary says they are two records
  await page.evaluate((hash) => { window.location.hash = hash; }, recordPage(reused, 6, `&compare=${insert},${older}`));
  await expect(page.locator('.compare-panel')).toContainText('are on the two sides of event');

  // the boundary links to the record's history under its new key, where the key change is one of its versions
  await boundary.getByRole('link', { name: 'id 60' }).click();
  await expect(page).toHaveTitle(`${reused} id 60 · Rowtrail`);
  await expect(page.locator('article.version')).toHaveCount(1);
  await expect(page.locator('.key-boundary')).toHaveCount(0);

  // the feed's item of the key change links to the old key's history too, as the version on the record page does
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/?table=public.${reused}&operation=UPDATE`);
  const keyChange = feedItems(page).filter({ hasText: 'id 60' });
  await expect(keyChange).toHaveCount(1);
  await expect(keyChange).toContainText('key changed from id 6');
  await keyChange.getByRole('link', { name: 'id 6', exact: true }).click();
  await expect(page).toHaveTitle(`${reused} id 6 · Rowtrail`);
  await expect(page.locator('.key-boundary')).toHaveCount(1);
});

test('two keys swapped in one statement: each key shows the row that arrived above the boundary, the row that left below', async ({ page }) => {
  await sql(`CREATE TABLE public.${swapped} (id int PRIMARY KEY DEFERRABLE, name text)`);
  rowtrailCli('install', '--table', `public.${swapped}`);
  // inserted 2 first: the swap then records the row arriving at 1 before the row leaving it
  await sql(`INSERT INTO public.${swapped} VALUES (2, 'second'), (1, 'first')`, `UPDATE public.${swapped} SET id = 3 - id`);
  await openDashboard(page, recordPage(swapped, 1));
  await expect(page).toHaveTitle(`${swapped} id 1 · Rowtrail`);
  const articles = page.getByRole('feed').locator('article');
  await expect(articles).toHaveCount(3);
  await expect(articles.nth(0)).toContainText('key changed from id 2');
  // the swap changed only the key: the row's name is in its full snapshot
  await articles.nth(0).getByRole('button', { name: /^Show full snapshot/ }).click();
  await expect(articles.nth(0)).toContainText('second');
  await expect(articles.nth(1)).toContainText('Key changed to id 2 here');
  await expect(articles.nth(1)).toContainText('Above: 1 version of the record that had this key afterwards · oldest version under this key reached: the record had another key before');
  await expect(articles.nth(2)).toContainText('first');
  await expect(page.getByText('1 version of the record whose key changed to id 2 · first version reached', { exact: true })).toBeVisible();
  const arrived = await articles.nth(0).getAttribute('data-event-id');
  const inserted = await articles.nth(2).getAttribute('data-event-id');
  await page.getByRole('checkbox', { name: `Compare version #${arrived}` }).check();
  await expect(page.getByRole('checkbox', { name: `Compare version #${inserted}` })).toBeDisabled();
});
