import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import express from 'express';
import type { RowtrailMiddleware } from './express-router.js';
import { DASHBOARD_HEADERS } from './security-headers.js';

/**
 * A dashboard build as the integrations serve it where they are mounted (`/`, or `/admin/history` of an
 * application): its files, and its page for every other GET that is not the API's (the dashboard routes by URL
 * fragment, so any path shows it). The page is built with relative URLs (its scripts, and the API it calls); each
 * answer of it names the mount point as its base (`<base href="/admin/history/">`), so they resolve there from any
 * path, with or without a trailing slash.
 */
export interface DashboardBuild {
  /**
   * Answers a GET or HEAD whose `request.url` is relative to the mount point with the build's file, on Node's own
   * request and response; calls `next()` when there is none (then answer the page), `next(error)` on a server error.
   */
  files(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void;
  /** The page with `mountPath` as its base; a missing index.html rejects with a 404 error (`status` and `statusCode` 404, as http-errors gives). */
  page(mountPath: string): Promise<string>;
}

/** The page's Cache-Control: revalidated at each load, so a redeployed dashboard is picked up at once. */
export const DASHBOARD_PAGE_CACHE_CONTROL = 'no-cache';

/** Whether `dir` holds a built dashboard (its index.html). */
export const hasDashboardBuild = (dir: string): boolean => existsSync(path.join(path.resolve(dir), 'index.html'));

/** `option`: the caller's option that named the directory, which the error tells to leave out. */
export function dashboardBuild(dir: string, option = 'staticDir'): DashboardBuild {
  const root = path.resolve(dir);
  if (!hasDashboardBuild(root)) throw new Error(`Rowtrail: the dashboard directory ${root} has no index.html (build the UI first, or omit ${option})`);
  return {
    // its files with the page's protections too: index.html itself is one of them
    files: express.static(root, { index: false, redirect: false, setHeaders: (response) => setHeaders(response, DASHBOARD_HEADERS) }) as DashboardBuild['files'],
    // read at each request: a redeployed dashboard is served without a restart
    page: (mountPath) => readFile(path.join(root, 'index.html'), 'utf8').then(
      (page) => page.replace(/<head>/i, `<head><base href="${escapeAttribute(`${mountPath}/`)}">`),
      (readError: NodeJS.ErrnoException) => {
        // gone (a redeploy under way): a 404 for the application's error handler, as express.static gives for its files
        throw readError.code === 'ENOENT' ? Object.assign(new Error('the dashboard page is missing'), { status: 404, statusCode: 404 }) : readError;
      },
    ),
  };
}

/** The dashboard as Express middleware, for a router or an application that answers `/api` before it. */
export function dashboardFiles(dir: string, option = 'staticDir'): RowtrailMiddleware {
  const build = dashboardBuild(dir, option);
  return (incoming, outgoing, next) => {
    const request = incoming as express.Request;
    const response = outgoing as express.Response;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || request.path === '/api' || request.path.startsWith('/api/')) return next();
    build.files(request, response, (error?: unknown) => {
      if (error) return next(error);
      build.page(request.baseUrl).then((page) => {
        response.type('html').set(DASHBOARD_HEADERS).set('Cache-Control', DASHBOARD_PAGE_CACHE_CONTROL).send(page);
      }, next);
    });
  };
}

const setHeaders = (response: ServerResponse, headers: Readonly<Record<string, string>>) => {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
};

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
