import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import type { RowtrailMiddleware } from './express-router.js';

/**
 * The built dashboard, served where it is mounted (`/`, or `/admin/history` of an application): its files, and
 * its page for every other GET that is not the API's (the dashboard routes by URL fragment, so any path shows it).
 * The page is built with relative URLs (its scripts, and the API it calls); each answer of it names the mount
 * point as its base (`<base href="/admin/history/">`), so they resolve there from any path, with or without a
 * trailing slash.
 */
export function dashboardFiles(dir: string): RowtrailMiddleware {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'index.html'))) throw new Error(`Rowtrail: the dashboard directory ${root} has no index.html (build the UI first, or omit staticDir)`);
  const files = express.static(root, { index: false, redirect: false });
  return (incoming, outgoing, next) => {
    const request = incoming as express.Request;
    const response = outgoing as express.Response;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || request.path === '/api' || request.path.startsWith('/api/')) return next();
    files(request, response, (error?: unknown) => {
      if (error) return next(error);
      // read at each request: a redeployed dashboard is served without a restart
      readFile(path.join(root, 'index.html'), 'utf8').then((page) => {
        response.type('html').set('Cache-Control', 'no-cache').send(page.replace(/<head>/i, `<head><base href="${escapeAttribute(`${request.baseUrl}/`)}">`));
      }, (readError: NodeJS.ErrnoException) => {
        // gone (a redeploy under way): a 404 for the application's error handler, as express.static gives for its files
        next(readError.code === 'ENOENT' ? Object.assign(new Error('the dashboard page is missing'), { status: 404 }) : readError);
      });
    });
  };
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
