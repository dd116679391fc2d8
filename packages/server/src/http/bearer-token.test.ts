import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiHandler } from './api-handler.js';
import { bearerTokenAuthorizer } from './bearer-token.js';
import { startServer } from './standalone-server.js';

// The token is checked before any query: the pool never connects.
const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/none' });
afterAll(() => pool.end());

const request = (authorization: string) => ({ method: 'GET', headers: { authorization } }) as IncomingMessage;

describe('the API token', () => {
  it('is refused at startup when it holds whitespace, which no Authorization header can carry, saying where', async () => {
    for (const [token, said] of [
      ['abcdefgh\n', /a line break at its end/], // a secret file's last newline
      ['abcdefgh\r\n', /a line break at its end/],
      [' abcdefgh', /whitespace at its start/],
      ['my token with spaces', /whitespace at character 3/],
      ['abcd\tefgh', /whitespace at character 5/],
      ['abcd\u0000efgh', /a control character at character 5/],
      ['abcdefgh\u2028', /a line break at its end/],
      ['abcdefgh\u{1F511}', /a character beyond U\+00FF at its end/],
    ] as const) {
      expect(() => bearerTokenAuthorizer(token)).toThrow(said);
      expect(() => createApiHandler({ pool, token })).toThrow(/^Rowtrail: the API token has .*no client can send .*it is used as given, never trimmed/);
      await expect(startServer({ pool, port: 0, token })).rejects.toThrow(said);
    }
  });

  it('of any other printable characters signs in', async () => {
    const token = 'a~b!c"d#é%&\'()*+,-./:;<=>?@[\\]^_`{|}';
    const authorize = bearerTokenAuthorizer(token);
    expect(await authorize(request(`Bearer ${token}`))).toBe(true);
    expect(await authorize(request(`Bearer ${token}x`))).toBe(false);
    const server = await startServer({ pool, port: 0, token: 'a-token-with-~-and-$' });
    try {
      const answer = await fetch(`${server.url}/api/no-such-endpoint`, { headers: { authorization: 'Bearer a-token-with-~-and-$' } });
      expect(answer.status).toBe(404); // past the token check
    } finally {
      await server.close();
    }
  });
});
