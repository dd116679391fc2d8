import { expect, test, type Locator } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { feedItems, openDashboard, screenshot } from './support/dashboard.js';
import { e2eDatabaseUrl, removeTrackedTable, rowtrailCli } from './support/e2e-database.js';

// Values that do not look like what they are: a direction control that reverses the text after it (and, unisolated, the
// arrow and the next value), a trailing space, the text "null" next to a real NULL, a jsonb column's JSON null. Each is
// written by real SQL on a table of this spec's own (the demo's rows stay as the other specs expect them).
const table = `value_display_${Date.now()}`;
const recordPage = (id: number) => `#/records/public.${table}?key=${encodeURIComponent(JSON.stringify({ id }))}`;

test.afterAll(() => removeTrackedTable(`public.${table}`));

const emptyUserRequest = `req-empty-user-${Date.now()}`;
const emptyUserContext = `/*rowtrail:${JSON.stringify({ id: randomUUID(), m: { user: '', requestId: emptyUserRequest } })}*/ `;

test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.${table} (id int PRIMARY KEY, email text, name text, notes text, attributes jsonb NOT NULL DEFAULT '{}')`);
    await client.query(`INSERT INTO public.${table} (id, email, name, notes, attributes) VALUES
      (2, 'bruno@example.com', 'Bruno Costa', 'x', '{"roast": "light"}'),
      (3, 'chloe@example.com', 'Chloé Dubois', 'x', '{}'),
      (4, 'dana@example.com', 'Dana', 'null', '{"k": ""}'),
      (5, 'eve@example.com', 'Eve', 'x', '{}'),
      (6, 'finn@example.com', '1', 'x', '{"active": "true", "n": "1"}')`);
    rowtrailCli('install', '--table', `public.${table}`);
    // the tester's spoofed address, then the real one
    await client.query(`UPDATE public.${table} SET email = E'bruno\\u202Emoc.elpmaxe@' WHERE id = 2`);
    await client.query(`UPDATE public.${table} SET email = 'bruno.costa@example.com' WHERE id = 2`);
    await client.query(`UPDATE public.${table} SET name = 'Chloé Dubois ' WHERE id = 3`);
    await client.query(`UPDATE public.${table} SET notes = NULL, attributes = '{"k": null}' WHERE id = 4`);
    await client.query(`UPDATE public.${table} SET attributes = 'null'::jsonb WHERE id = 4`);
    await client.query(`UPDATE public.${table} SET notes = E'two  spaces\\tand a tab' WHERE id = 5`);
    // jsonb values whose strings read like numbers and booleans (the string "1" → the number 1), written in a context
    // whose user name is empty (the comment the application's driver prefixes to its statements)
    await client.query(`UPDATE public.${table} SET attributes = '"1"' WHERE id = 6`);
    await client.query(`${emptyUserContext}UPDATE public.${table} SET attributes = '1' WHERE id = 6`);
    await client.query(`UPDATE public.${table} SET attributes = '{"active": "true", "n": "1"}' WHERE id = 6`);
    await client.query(`UPDATE public.${table} SET attributes = '{"active": true, "n": 1}' WHERE id = 6`);
  } finally {
    await client.end();
  }
});

/** Left and right edges on screen of an inline element (all its line boxes). */
const edges = (locator: Locator) => locator.evaluate((element) => {
  const rect = element.getBoundingClientRect();
  return { left: rect.left, right: rect.right };
});

/** The old value, the arrow and the new value are laid out left to right, none inside another. */
async function expectInOrder(field: Locator) {
  const [old, arrow, next] = await Promise.all([edges(field.locator('.value.old')), edges(field.getByRole('img', { name: 'changed to' })), edges(field.locator('.value.new'))]);
  expect(old.right).toBeLessThanOrEqual(arrow.left + 0.5);
  expect(arrow.right).toBeLessThanOrEqual(next.left + 0.5);
}

test('a direction control in a value is shown as a marker and scrambles neither it nor its neighbours', async ({ page }) => {
  await openDashboard(page, recordPage(2));
  const versions = page.locator('article.version');
  await expect(versions).toHaveCount(2);
  const [second, first] = [versions.nth(0).locator('.field-change[data-column="email"]'), versions.nth(1).locator('.field-change[data-column="email"]')];

  // The spoofing value is never written to the page as is: its control is a visible, named marker.
  const rlo = 'hidden character U+202E, right-to-left override';
  await expect(first.locator('.value.new').getByRole('img', { name: rlo })).toHaveText('⟨U+202E⟩');
  await expect(first.locator('.value.new')).toHaveText('bruno⟨U+202E⟩moc.elpmaxe@');
  await expect(first.locator('.value.old')).toHaveText('bruno@example.com');
  await expect(second.locator('.value.old').getByRole('img', { name: rlo })).toBeVisible();
  await expect(second.locator('.value.new')).toHaveText('bruno.costa@example.com');
  for (const field of [first, second]) {
    expect(await field.evaluate((element) => element.textContent)).not.toContain('\u202E');
    await expectInOrder(field);
  }
  await screenshot(page, 'value-direction-control');
  // The same in the activity feed.
  await openDashboard(page, `#/?table=public.${table}`);
  const feedEmail = feedItems(page).locator('.field-change[data-column="email"]');
  await expect(feedEmail).toHaveCount(2);
  await expect(feedEmail.nth(1).locator('.value.new')).toHaveText('bruno⟨U+202E⟩moc.elpmaxe@');
  await expectInOrder(feedEmail.nth(0));
});

test('right-to-left values stay on their side of the arrow', async ({ page }) => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`UPDATE public.${table} SET notes = 'שלום' WHERE id = 3`);
    await client.query(`UPDATE public.${table} SET notes = 'עולם' WHERE id = 3`);
  } finally {
    await client.end();
  }
  await openDashboard(page, recordPage(3));
  const notes = page.locator('article.version').first().locator('.field-change[data-column="notes"]');
  await expect(notes.locator('.value.new')).toHaveText('עולם');
  await expectInOrder(notes); // unisolated, the two Hebrew words and the arrow between them read as one right-to-left run
});

test('a change of whitespace only shows the whitespace', async ({ page }) => {
  await openDashboard(page, recordPage(3));
  const name = page.locator('.field-change[data-column="name"]');
  await expect(name).toHaveCount(1);
  await expect(name.locator('.value.old')).toHaveText('Chloé Dubois');
  await expect(name.locator('.value.new')).toHaveText('Chloé Dubois·');
  await expect(name.locator('.value.new').getByRole('img', { name: 'space' })).toBeVisible();
  await expect(name.locator('.value.old .ws-mark')).toHaveCount(0);
  await screenshot(page, 'value-trailing-space');
});

test('NULL, the text "null", a JSON null and a jsonb column\'s whole null are told apart', async ({ page }) => {
  await openDashboard(page, recordPage(4));
  const versions = page.locator('article.version');
  await expect(versions).toHaveCount(2);
  const [whole, inside] = [versions.nth(0), versions.nth(1)];

  // A real NULL is a framed marker; the text "null" is text.
  const notes = inside.locator('.field-change[data-column="notes"]');
  await expect(notes.locator('.value.old')).toHaveText('null');
  await expect(notes.locator('.value.new')).toHaveText(/^NULL/);
  const style = (value: Locator) => value.evaluate((element) => getComputedStyle(element).borderTopStyle);
  expect(await style(notes.locator('.value.new'))).toBe('dashed');
  expect(await style(notes.locator('.value.old'))).not.toBe('dashed');

  // A null inside a jsonb value is JSON's, never a NULL.
  const nested = inside.locator('.field-change[data-column="attributes"]');
  await expect(nested.locator('.value.new')).toHaveText(/^JSON null/);
  await expect(nested.locator('.value.old')).toHaveText(/^empty/);
  await expect(nested).not.toContainText('no value (NULL)');
  // A jsonb column's whole null: the history writes SQL NULL and JSON null alike, so the page says it may be either.
  await expect(whole.locator('.field-change[data-column="attributes"] .value.new')).toHaveText(/^NULL or JSON null/);
  await screenshot(page, 'value-nulls');
});

test('copying a value copies the characters it holds, not their markers', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  /** Selects what the locator shows, copies it as a user does (Ctrl+C) and reads the clipboard. */
  const copied = async (locator: Locator) => {
    await locator.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await page.keyboard.press('Control+C');
    return page.evaluate(() => navigator.clipboard.readText());
  };

  await openDashboard(page, recordPage(3));
  const name = page.locator('.field-change[data-column="name"]');
  await expect(name.locator('.value.new')).toHaveText('Chloé Dubois·');
  expect(await copied(name.locator('.value.new'))).toBe('Chloé Dubois ');
  // a selection across more than one value is the browser's own copy, with its formatted (HTML) form for pasting
  expect(await copied(name)).toContain('Chloé Dubois');
  expect(await page.evaluate(async () => (await navigator.clipboard.read())[0].types)).toContain('text/html');

  await openDashboard(page, recordPage(2));
  const spoofed = page.locator('article.version').nth(1).locator('.field-change[data-column="email"] .value.new');
  await expect(spoofed).toHaveText('bruno⟨U+202E⟩moc.elpmaxe@');
  expect(await copied(spoofed)).toBe('bruno\u202Emoc.elpmaxe@');

  // a value's inner whitespace is drawn as stored (toHaveText compares it normalised); the copy keeps it too
  await openDashboard(page, recordPage(5));
  const notes = page.locator('.field-change[data-column="notes"] .value.new');
  await expect(notes).toHaveText('two spaces and a tab');
  expect(await copied(notes)).toBe('two  spaces\tand a tab');

  // text that is not a value is copied by the browser as shown, and so is a form field's text
  const heading = page.locator('h1').first();
  expect(await copied(heading)).toBe((await heading.innerText()).trim());
  await openDashboard(page, `#/?table=public.${table}`);
  const user = page.getByRole('textbox', { name: 'User' });
  await user.fill('x  y ');
  await user.press('Control+A');
  await user.press('Control+C');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('x  y ');
});

test('a jsonb string that reads like a number or a boolean is quoted, in diffs and snapshots; a text column\'s is not', async ({ page }) => {
  await openDashboard(page, recordPage(6));
  const versions = page.locator('article.version');
  await expect(versions).toHaveCount(4);
  const attributes = (version: number) => versions.nth(version).locator('.field-change[data-column="attributes"]');
  // newest first: {"active":"true","n":"1"} → {"active":true,"n":1}, a structured diff whose paths changed type (jsonb's key order)
  const paths = attributes(0).locator('.json-diff > li');
  await expect(paths).toHaveCount(2);
  const path = (name: string) => paths.filter({ has: page.locator('.json-path', { hasText: new RegExp(`^${name}$`) }) });
  await expect(path('active').locator('.value.old')).toHaveText('"true"');
  await expect(path('active').locator('.value.new')).toHaveText('true');
  await expect(path('n').locator('.value.old')).toHaveText('"1"');
  await expect(path('n').locator('.value.new')).toHaveText('1');
  // 1 → {"active":"true","n":"1"}
  await expect(attributes(1).locator('.value.old')).toHaveText('1');
  await expect(attributes(1).locator('.value.new')).toHaveText('{"n":"1","active":"true"}'); // jsonb's key order
  // the string "1" → the number 1
  await expect(attributes(2).locator('.value.old')).toHaveText('"1"');
  await expect(attributes(2).locator('.value.new')).toHaveText('1');
  await expect(attributes(3).locator('.value.new')).toHaveText('"1"');
  // the snapshot of that version: the jsonb string quoted, the text column's "1" as text
  await versions.nth(3).getByRole('button', { name: /Show full snapshot/ }).click();
  const snapshot = versions.nth(3).locator('table.snapshot');
  await expect(snapshot.locator('tr[data-column="attributes"] td')).toHaveText('"1"');
  await expect(snapshot.locator('tr[data-column="name"] td')).toHaveText('1');
  await screenshot(page, 'value-json-strings');
});

test('an empty user name is marked, in the feed and on the request page, and offers no empty link', async ({ page }) => {
  await openDashboard(page, `#/?requestId=${emptyUserRequest}`);
  const items = feedItems(page);
  await expect(items).toHaveCount(1);
  const who = items.first().locator('.who');
  await expect(who.locator('.value-empty')).toBeVisible();
  await expect(who).toHaveText(/^empty/);
  await expect(items.first().locator('a.who')).toHaveCount(0);
  await expect(page.locator('a[title="All changes by "]')).toHaveCount(0);

  await items.first().getByRole('link', { name: emptyUserRequest }).click();
  const user = page.locator('dl.facts dt', { hasText: /^User$/ }).locator('xpath=following-sibling::dd[1]');
  await expect(user.locator('.value-empty')).toBeVisible();
  await expect(user).toHaveText(/^empty/);
  await screenshot(page, 'value-empty-user');
});
