import { expect, test } from '@playwright/test';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { dashboardFiles } from '../packages/server/src/http/dashboard-files.js';
import { demoFacts, feedItems } from './support/dashboard.js';
import { E2E_PORT, E2E_TOKEN } from './support/e2e-settings.js';

// An application that mounts the dashboard under a path of its own (/admin/history), as rowtrailRouter({ dashboard })
// does: the built dashboard's files with its page based there, and its API there, here passed on to the demo's API.
// Like an application whose authorize() reads its own session, it lets a request with its cookie (sid=signed-in)
// through, with the demo's token added; one with neither cookie nor token it refuses as such an authorize() does.
let app: Server;
let base: string;

test.beforeAll(async () => {
  const application = express();
  application.use('/admin/history/api', (request, response) => {
    const headers = { ...request.headers };
    if (/(^|;\s*)sid=signed-in(;|$)/.test(headers.cookie ?? '')) headers.authorization = `Bearer ${E2E_TOKEN}`;
    else if (!headers.authorization) {
      response.status(401).json({ error: { code: 'unauthorized', auth: 'application', message: 'not authorized: the application serving this API refused the request (sign in to it)' } });
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: E2E_PORT, path: `/api${request.url}`, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  application.use('/admin/history', dashboardFiles(path.resolve('packages/ui/dist')));
  app = await new Promise<Server>((resolve) => { const s = application.listen(0, '127.0.0.1', () => resolve(s)); });
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}/admin/history`;
});
test.afterAll(async () => {
  await new Promise((resolve) => app?.close(resolve));
});

test('works mounted under a path of an application: files, API calls and links stay below the mount point', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (r) => { if (!/^\/admin\/history(\/|$)/.test(new URL(r.url()).pathname)) outside.push(r.url()); });
  // the mount point without its trailing slash: relative URLs would otherwise resolve against /admin
  await page.goto(`${base}#token=${encodeURIComponent(E2E_TOKEN)}`);
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  await expect(feedItems(page).first()).toBeVisible();

  const fact = demoFacts.emailChange;
  await page.evaluate((requestId) => { window.location.hash = `#/?requestId=${requestId}`; }, fact.requestId);
  await expect(feedItems(page)).toHaveCount(1);
  await feedItems(page).getByRole('link', { name: /customer/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('customer');
  expect(new URL(page.url()).pathname).toMatch(/^\/admin\/history\/?$/);
  const version = page.locator('article.version', { has: page.getByRole('link', { name: fact.requestId }) });
  await expect(version.locator(`.field-change[data-column="${fact.column}"] .value.new`)).toHaveText(fact.new);
  expect(outside).toEqual([]);
});

test('authorized by the application\'s own session: no token asked for; refused, it says to sign in to the application', async ({ page, context }) => {
  const host = new URL(base).hostname;
  await context.addCookies([{ name: 'sid', value: 'signed-in', domain: host, path: '/' }]);
  await page.goto(`${base}/`);
  await expect(feedItems(page).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Forget token' })).toHaveCount(0); // no token in play
  expect(await page.evaluate(() => localStorage.getItem('rowtrail.token'))).toBeNull();

  await context.clearCookies();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Not signed in' })).toBeVisible();
  await expect(page.getByLabel('Token')).toHaveCount(0);
  await context.addCookies([{ name: 'sid', value: 'signed-in', domain: host, path: '/' }]);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(feedItems(page).first()).toBeVisible();
});
