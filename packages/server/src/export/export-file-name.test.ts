import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-format.js';

const now = new Date('2026-12-05T03:04:05.678Z');

describe('exportFileName()', () => {
  it('names a record export by its table and key values', () => {
    expect(exportFileName({ kind: 'record', table: 'public.order', key: { tenant: 'acme', id: 42 } }, 'ndjson', now))
      .toBe('rowtrail-public.order-acme-42-20261205T030405Z.ndjson');
  });

  it('writes a json key\'s object or array as its JSON, not "[object Object]"', () => {
    const name = exportFileName({ kind: 'record', table: 'public.doc', key: { k: { region: 'eu', n: 1 } } }, 'json', now);
    expect(name).toBe('rowtrail-public.doc-_region_eu_n_1_-20261205T030405Z.json');
    expect(exportFileName({ kind: 'record', table: 'public.doc', key: { k: ['a', 2] } }, 'json', now)).toContain('-_a_2_-');
    // a bigint inside, as a jsonb key too large for a double is given
    expect(exportFileName({ kind: 'record', table: 'public.doc', key: { k: { n: 9007199254740993n } } }, 'json', now)).toContain('-_n_9007199254740993_-');
  });

  it('names context and filter exports', () => {
    expect(exportFileName({ kind: 'context', contextId: '01890000-0000-7000-8000-000000000001' }, 'json', now))
      .toBe('rowtrail-context-01890000-0000-7000-8000-000000000001-20261205T030405Z.json');
    expect(exportFileName({ kind: 'filter', filter: {} }, 'ndjson', now)).toBe('rowtrail-events-20261205T030405Z.ndjson');
  });
});
