import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { CONTEXT_COMMENT_PREFIX, encodeContextComment, MAX_CONTEXT_BYTES, RowtrailContextError } from './context-comment.js';

const ID = '01900000-0000-7000-8000-000000000000';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('context_comment');
});
afterAll(() => db?.drop());

/** The JSON a comment carries, decoded as the database sees it. */
function payload(comment: string): string {
  return comment.slice(CONTEXT_COMMENT_PREFIX.length, -2);
}

class TenantId {
  constructor(private readonly value: string) {}
  toJSON(): string {
    return this.value;
  }
}

describe('encodeContextComment validates the JSON it sends, not the object it was given', () => {
  it('refuses a NUL character or half a surrogate pair that a toJSON() produces; stores what a valid toJSON() produces', async () => {
    expect(() => encodeContextComment(ID, { tenant: { toJSON: () => 'acme\u0000' } })).toThrow(RowtrailContextError);
    expect(() => encodeContextComment(ID, { tenant: { toJSON: () => 'acme\u0000' } })).toThrow(/NUL character/);
    expect(() => encodeContextComment(ID, { tenant: new TenantId('x\uD83D') })).toThrow(/surrogate pair/);
    expect(() => encodeContextComment(ID, { list: [{ toJSON: () => ({ '\uDE00y': 1 }) }] })).toThrow(/surrogate pair/);
    // what is accepted is what PostgreSQL receives and stores
    const comment = encodeContextComment(ID, { tenant: new TenantId('acme'), when: new Date(0), nested: { toJSON: () => ({ ok: true }) } });
    const { rows } = await db.pool.query<{ m: unknown }>(`SELECT ($1::jsonb)->'m' AS m`, [payload(comment)]);
    expect(rows[0].m).toEqual({ tenant: 'acme', when: '1970-01-01T00:00:00.000Z', nested: { ok: true } });
  });

  it('refuses metadata that serialises to something other than a JSON object', () => {
    expect(() => encodeContextComment(ID, { toJSON: () => 'not an object' })).toThrow(RowtrailContextError);
    expect(() => encodeContextComment(ID, { toJSON: () => 'not an object' })).toThrow(/must be a JSON object, got a string/);
    expect(() => encodeContextComment(ID, { toJSON: () => [1, 2] })).toThrow(/must be a JSON object, got an array/);
    expect(() => encodeContextComment(ID, { toJSON: () => undefined })).toThrow(/must be a JSON object, got nothing/);
    expect(() => encodeContextComment(ID, new Date(0))).toThrow(/must be a JSON object, got a string/);
  });

  it('takes metadata nested thousands of levels deep that fits in the limit, and refuses deeper with a RowtrailContextError', async () => {
    const nested = (depth: number) => JSON.parse(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`) as Record<string, unknown>;
    const deep = nested(3000);
    const comment = encodeContextComment(ID, deep);
    // compared in the database: a deep-equality check of 3,000 levels would overflow the test's own stack
    const { rows } = await db.pool.query<{ same: boolean }>(`SELECT ($1::jsonb)->'m' = $2::jsonb AS same`, [payload(comment), JSON.stringify(deep)]);
    expect(rows[0].same).toBe(true);
    expect(() => encodeContextComment(ID, { ...deep, note: 'x'.repeat(3000) })).toThrow(/bytes once encoded; the limit is 8192 bytes/);
    expect(() => encodeContextComment(ID, nested(100_000))).toThrow(RowtrailContextError); // too deep for JSON.stringify itself
  });

  it('refuses an extra payload that would replace the context\'s id or metadata', () => {
    expect(() => encodeContextComment(ID, { user: 'alice' }, { id: '00000000-0000-4000-8000-000000000000' })).toThrow(RowtrailContextError);
    expect(() => encodeContextComment(ID, { user: 'alice' }, { m: { user: 'mallory' } })).toThrow('may not set "m", which is the context\'s metadata');
    expect(encodeContextComment(ID, { user: 'alice' }, { ig: ['p'] })).toBe(`${CONTEXT_COMMENT_PREFIX}{"id":"${ID}","m":{"user":"alice"},"ig":["p"]}*/`);
  });

  it('counts the limit on what is sent: a "*" travels as \\u002a (six bytes)', async () => {
    const stars = { note: '*'.repeat(2000) };
    expect(JSON.stringify({ id: ID, m: stars }).length).toBeLessThan(MAX_CONTEXT_BYTES);
    expect(() => encodeContextComment(ID, stars)).toThrow(/is 12\d{3} bytes once encoded; the limit is 8192 bytes/);
    // at the limit it is accepted and decodes to the original
    const fits = { note: '*'.repeat(1300) };
    const comment = encodeContextComment(ID, fits);
    expect(Buffer.byteLength(payload(comment))).toBeLessThanOrEqual(MAX_CONTEXT_BYTES);
    const { rows } = await db.pool.query<{ m: unknown }>(`SELECT ($1::jsonb)->'m' AS m`, [payload(comment)]);
    expect(rows[0].m).toEqual(fits);
  });
});
