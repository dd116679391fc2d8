import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../../api/types';
import { keyProblem } from './key-problem';

const table = (primaryKey: string[], columns: [string, string][]): TrackedTable => ({
  table: 'public.product', snapshotTable: 'product', primaryKey, columns: columns.map(([name, type]) => ({ name, type })), events: 0, eventsEstimated: false, lastChangeAt: null, recording: true,
});
const product = table(['id'], [['id', 'integer'], ['name', 'text']]);

describe('keyProblem (a record link\'s key its columns cannot hold)', () => {
  it('explains a number that is not whole, or beyond the integer column\'s range', () => {
    expect(keyProblem(product, '{"id":1.5}')).toBe('id is a whole number (integer): 1.5 is not one.');
    expect(keyProblem(product, '{"id":99999999999}')).toBe('id is integer, from -2147483648 to 2147483647: 99999999999 is out of its range.');
    expect(keyProblem(product, '{"id":"99999999999"}')).toMatch(/out of its range/); // the API takes a number as a string too
    expect(keyProblem(product, '{"id":9223372036854775808}')).toMatch(/9223372036854775808 is out of its range/); // every digit kept
  });

  it('finds nothing wrong with a key that may be one, or that the API itself refuses', () => {
    expect(keyProblem(product, '{"id":42}')).toBeNull();
    expect(keyProblem(product, '{"id":2147483647}')).toBeNull();
    expect(keyProblem(product, '{"id":"abc"}')).toBeNull(); // the API answers: must be a number
    expect(keyProblem(product, '{"nope":1.5}')).toBeNull(); // the API answers: not a primary-key column
    expect(keyProblem(product, 'not json')).toBeNull();
    expect(keyProblem(table(['id'], [['id', 'bigint']]), '{"id":99999999999}')).toBeNull();
    expect(keyProblem(table(['price'], [['price', 'numeric(10,2)']]), '{"price":1.5}')).toBeNull();
  });

  it('checks every column of a composite key', () => {
    const link = table(['article_id', 'tag_id'], [['article_id', 'integer'], ['tag_id', 'smallint']]);
    expect(keyProblem(link, '{"article_id":5,"tag_id":2}')).toBeNull();
    expect(keyProblem(link, '{"article_id":5,"tag_id":40000}')).toBe('tag_id is smallint, from -32768 to 32767: 40000 is out of its range.');
  });
});

describe('keyProblem of numbers a JS number would round', () => {
  const orders = table(['id'], [['id', 'bigint']]);
  it('takes a bigint written with a fraction of zeros or an exponent, and refuses a tiny fraction', () => {
    expect(keyProblem(orders, '{"id":9223372036854775807.0}')).toBeNull();
    expect(keyProblem(orders, '{"id":92233720368547758e2}')).toBeNull();
    expect(keyProblem(product, '{"id":2147483647.0000000001}')).toMatch(/is not one/);
    expect(keyProblem(product, '{"id":1e-400}')).toMatch(/is not one/);
    expect(keyProblem(product, '{"id":1e400}')).toMatch(/1e400 is out of its range/);
  });
});
