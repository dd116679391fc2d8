import { AsyncResource } from 'node:async_hooks';
import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { contextMiddleware } from './express-middleware.js';
import { runOutsideContext } from './request-context.js';
import { serveExpress, type ExpressTestServer } from '../testing/express-test-server.js';
import type { TestDatabase } from '../testing/test-database.js';
import { Product } from '../typeorm/test-entities.js';
import { historySince, lastEventId } from '../typeorm/test-history.js';
import { openTrackedDatabase, type TrackedTestDatabase } from '../typeorm/tracked-test-database.js';

// A middleware that finishes through the callback of a connection of its own (a session store, a user lookup) calls
// next() in the async context that connection was opened in. Opened lazily inside the first request, it ran every later
// request's route, and its writes, as that first request.
let opened: TrackedTestDatabase;
let db: TestDatabase;
let dataSource: DataSource;
let server: ExpressTestServer | undefined;
const lookups: pg.Client[] = [];

type AuthedRequest = express.Request & { user?: string };

/**
 * Sets req.user from the database, through a callback-style query on a client it opens on first use. `bound`: the
 * callback bound to the calling request's context (AsyncResource.bind, as Node advises for callback APIs).
 */
function sessionLookup(bound: boolean) {
  let client: Promise<pg.Client> | undefined;
  const open = async () => {
    const c = new pg.Client({ connectionString: db.url });
    lookups.push(c);
    await c.connect();
    return c;
  };
  return (req: AuthedRequest, _res: express.Response, next: (error?: unknown) => void) => {
    client ??= open();
    const done = (error: Error | null, result: pg.QueryResult) => {
      if (error) return next(error);
      req.user = result.rows[0].user;
      next();
    };
    void client.then((c) => c.query('SELECT $1::text AS user', [req.headers['x-user']], bound ? AsyncResource.bind(done) : done), next);
  };
}

beforeAll(async () => {
  opened = await openTrackedDatabase('foreign_callback_context', [Product], 2);
  ({ db, dataSource } = opened);
  const app = express();
  const save = async (req: express.Request, res: express.Response) => {
    const saved = await dataSource.getRepository(Product).save({ name: String(req.params.name), price: '1.00', stock: 1 });
    res.json({ id: saved.id });
  };
  const context = contextMiddleware<AuthedRequest>({ user: (req) => req.user });
  // the middleware first, the lookup's callback bound to the request that made it
  app.post('/first/:name', context, sessionLookup(true), save);
  // the middleware after the lookup: its context starts after the lookup's callback, whatever that ran in
  app.post('/after/:name', sessionLookup(false), context, save);
  // a background job a request starts lazily (say, a cache refresher): started outside any context, its writes are
  // no request's, not the request that happened to start it
  let refresher: Promise<void> | undefined;
  app.post('/start-refresher', context, (_req, res) => {
    refresher ??= runOutsideContext(() => new Promise<void>((resolve, reject) => {
      setTimeout(() => void dataSource.getRepository(Product).save({ name: 'refreshed', price: '1.00', stock: 1 }).then(() => resolve(), reject), 50);
    }));
    res.json({ started: true });
  });
  app.get('/refresher-done', async (_req, res) => {
    await refresher;
    res.json({ done: true });
  });
  server = await serveExpress(app);
});
afterAll(async () => {
  await server?.close();
  await Promise.all(lookups.map((c) => c.end()));
  await opened?.close();
});

describe('a middleware that calls next() from a callback of its own connection', () => {
  for (const route of ['first', 'after']) {
    it(`attributes each request's writes to that request (${route === 'first' ? 'its callback bound to the request' : 'contextMiddleware mounted after it'})`, async () => {
      const before = await lastEventId(db.pool);
      for (const [user, name] of [['alice', 'a'], ['bob', 'b'], ['carol', 'c']]) {
        const response = await fetch(`${server!.base}/${route}/${route}-${name}?n=${name}`, { method: 'POST', headers: { 'x-user': user, 'x-request-id': `req-${route}-${name}` } });
        expect(response.status).toBe(200);
      }
      const events = await historySince(db.pool, before);
      expect(events.map((e) => [e.metadata?.user, e.metadata?.requestId, e.metadata?.url])).toEqual([
        ['alice', `req-${route}-a`, `/${route}/${route}-a?n=a`],
        ['bob', `req-${route}-b`, `/${route}/${route}-b?n=b`],
        ['carol', `req-${route}-c`, `/${route}/${route}-c?n=c`],
      ]);
    });
  }
});

describe('runOutsideContext()', () => {
  it('starts work that outlives the request without the request\'s context', async () => {
    const before = await lastEventId(db.pool);
    expect((await fetch(`${server!.base}/start-refresher`, { method: 'POST', headers: { 'x-user': 'dave' } })).status).toBe(200);
    expect((await fetch(`${server!.base}/refresher-done`)).status).toBe(200);
    const events = await historySince(db.pool, before);
    // recorded as a database write (no application context: metadata {}), not as dave's request
    expect(events.map((e) => [e.changes.name, e.metadata])).toEqual([['refreshed', {}]]);
  });
});
