import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createApiHandler } from './api-handler.js';
import { rowtrailRouter } from './express-router.js';

// No query runs: the options are checked when the handler is made. The pool never connects.
const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/none' });

describe('the HTTP API\'s options', () => {
  it('refuse an option the API does not take, naming it and the options there are', () => {
    expect(() => rowtrailRouter({ pool, authorize: () => true, tokn: 'x' } as never))
      .toThrow(/^Rowtrail: rowtrailRouter: tokn: is not an option \(those are pool, schema, authorize, token, linkSecret, exportPool, maxConcurrentExports, maxExportSeconds, onError, dashboard\)$/);
    expect(() => createApiHandler({ pool, token: 'token-of-the-api', authorise: () => true } as never)).toThrow('Rowtrail: createApiHandler: authorise: is not an option');
    expect(() => createApiHandler({ pool, token: 'token-of-the-api', dashboard: true } as never)).toThrow('createApiHandler: dashboard: is not an option');
  });

  it('refuse a value of the wrong kind, naming the option', () => {
    expect(() => createApiHandler({ pool, token: 'token-of-the-api', maxExportSeconds: '60' } as never)).toThrow('Rowtrail: createApiHandler: maxExportSeconds: must be a number, got "60"');
    expect(() => rowtrailRouter({ pool: 'postgres://…', token: 'token-of-the-api' } as never)).toThrow('rowtrailRouter: pool: must be a pg.Pool');
    expect(() => rowtrailRouter({ pool, authorize: 'admin' } as never)).toThrow('rowtrailRouter: authorize: must be a function');
  });

  it('never print a secret in their errors, which logs keep: a token read as a Buffer, a connection string as the pool', () => {
    const secret = 's3cr3t-token-from-a-file';
    const messages = [
      () => createApiHandler({ pool, token: Buffer.from(secret) } as never),
      () => createApiHandler({ pool, authorize: () => true, linkSecret: { value: secret } } as never),
      () => rowtrailRouter({ pool: `postgres://app:${secret}@db/app`, token: 'token-of-the-api' } as never),
      () => createApiHandler({ pool, token: 'token-of-the-api', onError: secret } as never),
    ].map((make) => {
      try {
        make();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not refused');
    });
    expect(messages).toEqual([
      'Rowtrail: createApiHandler: token: must be a string, got an object (Buffer)',
      expect.stringMatching(/^Rowtrail: createApiHandler: linkSecret: must be .*, got an object$/),
      expect.stringMatching(/^Rowtrail: rowtrailRouter: pool: must be a pg\.Pool.*, got a string of 46 characters \(not shown\)$/),
      // a string where a function belongs may be a secret given to the wrong option: its length only
      'Rowtrail: createApiHandler: onError: must be a function (error) => void, got a string of 24 characters (not shown)',
    ]);
    expect(messages.some((m) => m.includes(secret) || m.includes('115,51'))).toBe(false);
  });

  it('take every option they document', () => {
    expect(() => rowtrailRouter({
      pool, exportPool: pool, schema: 'rowtrail', authorize: () => true, token: undefined, linkSecret: 'a-secret-of-sixteen-chars',
      maxConcurrentExports: 2, maxExportSeconds: 60, onError: () => undefined, dashboard: false,
    })).not.toThrow();
  });
});

describe('startServer()\'s options', () => {
  it('are checked as the API\'s, with its own', async () => {
    const { startServer } = await import('./standalone-server.js');
    await expect(startServer({ pool, token: 'token-of-the-api', prot: 4800 } as never)).rejects.toThrow('Rowtrail: startServer: prot: is not an option');
    await expect(startServer({ pool, token: 'token-of-the-api', port: '4800' } as never)).rejects.toThrow('Rowtrail: startServer: port: must be a port number (0–65535), got "4800"');
  });
});

describe('the Fastify plugin\'s options', () => {
  it('are checked as the router\'s, Fastify\'s own register options aside', async () => {
    const { rowtrailFastifyPlugin } = await import('./fastify-plugin.js');
    const routes: string[] = [];
    const fastify = { prefix: '/audit', route: ({ url }: { url: string }) => routes.push(url) };
    await expect(rowtrailFastifyPlugin(fastify as never, { pool, authorize: () => true, linkSecrets: 'x' } as never))
      .rejects.toThrow('Rowtrail: rowtrailFastifyPlugin: linkSecrets: is not an option');
    await expect(rowtrailFastifyPlugin(fastify as never, { pool, authorize: () => true, dashboard: 1 } as never))
      .rejects.toThrow('rowtrailFastifyPlugin: dashboard: must be true, false or the directory of a dashboard build');
    await rowtrailFastifyPlugin(fastify as never, { pool, authorize: () => true, prefix: '/audit', logLevel: 'warn', logSerializers: {} } as never);
    expect(routes).toEqual(['/api', '/api/*']);
  });
});
