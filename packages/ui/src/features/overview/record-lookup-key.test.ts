import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../../api/types';
import { recordHref } from '../../lib/links';
import { isPartialKey, keyColumns, keyKind, lookupKey, type KeyColumn } from './record-lookup-key';

const table = (primaryKey: string[], columns: [string, string][]): TrackedTable => ({
  table: 'public.t', snapshotTable: 't', primaryKey, columns: columns.map(([name, type]) => ({ name, type })), events: 0, eventsEstimated: false, lastChangeAt: null, recording: true,
});
const column = (name: string, type: string): KeyColumn => ({ name, type, kind: keyKind(type) });

describe('keyKind', () => {
  it('reads the registry type names, with or without size limits', () => {
    expect(['integer', 'bigint', 'smallint'].map(keyKind)).toEqual(['integer', 'integer', 'integer']);
    expect(['numeric(10,2)', 'double precision'].map(keyKind)).toEqual(['decimal', 'decimal']);
    expect(['boolean', 'uuid', 'character varying(255)', 'text', 'timestamp with time zone', 'date'].map(keyKind))
      .toEqual(['boolean', 'uuid', 'text', 'text', 'text', 'text']);
  });
});

describe('keyColumns', () => {
  it('lists the primary-key columns in key order with their types (text when not listed)', () => {
    expect(keyColumns(table(['tenant', 'id'], [['id', 'bigint'], ['name', 'text'], ['tenant', 'uuid']]))).toEqual([
      { name: 'tenant', type: 'uuid', kind: 'uuid' },
      { name: 'id', type: 'bigint', kind: 'integer' },
    ]);
    expect(keyColumns(table(['code'], []))).toEqual([{ name: 'code', type: 'text', kind: 'text' }]);
  });
});

describe('lookupKey', () => {
  const id = [column('id', 'integer')];

  it('writes an integer key as a JSON number, as the feed links write it', () => {
    expect(lookupKey(id, { id: '42' })).toEqual({ key: '{"id":42}' });
    expect(recordHref('public.customer', lookupKey(id, { id: '42' }).key!)).toBe(recordHref('public.customer', { id: 42 }));
  });

  it('keeps every digit of a bigint key and drops leading zeros and surrounding spaces, as the server does', () => {
    expect(lookupKey([column('id', 'bigint')], { id: ' 9007199254740993 ' })).toEqual({ key: '{"id":9007199254740993}' });
    expect(lookupKey(id, { id: '007' })).toEqual({ key: '{"id":7}' });
    expect(lookupKey(id, { id: '-007' })).toEqual({ key: '{"id":-7}' });
    expect(lookupKey(id, { id: '-0' })).toEqual({ key: '{"id":0}' });
    expect(lookupKey([column('price', 'numeric(10,2)')], { price: '0012.50' })).toEqual({ key: '{"price":12.50}' });
  });

  it('refuses what the API would refuse or could never match, naming the column', () => {
    expect(lookupKey(id, { id: 'abc' })).toEqual({ errors: { id: 'id is a whole number (integer), e.g. 42.' } });
    expect(lookupKey(id, { id: '1e3' }).errors?.id).toMatch(/whole number/);
    expect(lookupKey(id, { id: '4.5' }).errors?.id).toMatch(/whole number/);
    expect(lookupKey(id, {})).toEqual({ errors: { id: 'Enter the id.' } });
    expect(lookupKey(id, { id: '   ' })).toEqual({ errors: { id: 'Enter the id.' } });
    expect(lookupKey([column('ref', 'uuid')], { ref: 'not-a-uuid' }).errors?.ref).toMatch(/UUID/);
    expect(lookupKey([column('on', 'boolean')], { on: 'yes' }).errors?.on).toBe('on is true or false.');
  });

  it('refuses a whole number beyond the range of the column\'s integer type: no row can have it', () => {
    expect(lookupKey(id, { id: '99999999999' })).toEqual({ errors: { id: 'id is integer, from -2147483648 to 2147483647: 99999999999 is out of its range.' } });
    expect(lookupKey(id, { id: '2147483647' })).toEqual({ key: '{"id":2147483647}' });
    expect(lookupKey(id, { id: '-2147483648' })).toEqual({ key: '{"id":-2147483648}' });
    expect(lookupKey(id, { id: '2147483648' }).errors?.id).toMatch(/out of its range/);
    expect(lookupKey(id, { id: '-0002147483649' }).errors?.id).toMatch(/-2147483649 is out of its range/);
    expect(lookupKey([column('id', 'smallint')], { id: '32768' }).errors?.id).toBe('id is smallint, from -32768 to 32767: 32768 is out of its range.');
    const big = [column('id', 'bigint')];
    expect(lookupKey(big, { id: '99999999999' })).toEqual({ key: '{"id":99999999999}' });
    expect(lookupKey(big, { id: '9223372036854775807' })).toEqual({ key: '{"id":9223372036854775807}' });
    expect(lookupKey(big, { id: '9223372036854775808' }).errors?.id).toMatch(/out of its range/);
  });

  it('writes texts as JSON strings, exactly as typed', () => {
    expect(lookupKey([column('sku', 'character varying(32)')], { sku: 'PAP-007 ' })).toEqual({ key: '{"sku":"PAP-007 "}' });
    expect(lookupKey([column('sku', 'text')], { sku: 'say "hi"' })).toEqual({ key: '{"sku":"say \\"hi\\""}' });
    expect(lookupKey([column('day', 'date')], { day: ' 2026-12-01 ' })).toEqual({ key: '{"day":"2026-12-01"}' });
  });

  it('writes booleans and UUIDs as the capture writes them', () => {
    expect(lookupKey([column('on', 'boolean')], { on: 'TRUE' })).toEqual({ key: '{"on":true}' });
    expect(lookupKey([column('ref', 'uuid')], { ref: '123E4567-E89B-12D3-A456-426614174000' })).toEqual({ key: '{"ref":"123e4567-e89b-12d3-a456-426614174000"}' });
  });

  it('orders the parts of a composite key as jsonb does (shorter names first), as recordKeyText has them', () => {
    const columns = [column('tenant', 'uuid'), column('id', 'integer')];
    const tenant = '123e4567-e89b-12d3-a456-426614174000';
    expect(lookupKey(columns, { tenant, id: '5' })).toEqual({ key: `{"id":5,"tenant":"${tenant}"}` });
    // an empty column of a composite key is left out (below); a bad value in another is still named
    expect(lookupKey(columns, { tenant: '', id: 'x' })).toEqual({ errors: { id: 'id is a whole number (integer), e.g. 42.' } });
  });

  it('with some columns of a composite key left empty, is the partial key of the others (a feed filter)', () => {
    const columns = [column('article_id', 'integer'), column('tag_id', 'integer')];
    expect(lookupKey(columns, { article_id: ' 005 ' })).toEqual({ key: '{"article_id":5}', partial: true });
    expect(isPartialKey(columns, { article_id: ' 005 ' })).toBe(true);
    expect(lookupKey(columns, { article_id: '', tag_id: '2' })).toEqual({ key: '{"tag_id":2}', partial: true });
    expect(isPartialKey(columns, { article_id: '5', tag_id: '2' })).toBe(false);
    // nothing typed: every column is asked for, as for a one-column key
    expect(lookupKey(columns, { article_id: ' ' })).toEqual({ errors: { article_id: 'Enter the article_id.', tag_id: 'Enter the tag_id.' } });
    expect(isPartialKey(columns, {})).toBe(false);
    expect(isPartialKey([column('id', 'integer')], { id: '5' })).toBe(false);
    // a text key of spaces is typed, and taken as typed
    const named = [column('code', 'text'), column('n', 'integer')];
    expect(lookupKey(named, { code: ' ' })).toEqual({ key: '{"code":" "}', partial: true });
  });
});
