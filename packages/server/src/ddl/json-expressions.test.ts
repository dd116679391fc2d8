import { describe, expect, it } from 'vitest';
import { jsonbValue, mayHoldJson } from './json-expressions.js';

describe('mayHoldJson', () => {
  it("is false for PostgreSQL's scalar types however they are spelt, with sizes and array brackets", () => {
    for (const type of ['integer', 'character varying(20)', 'timestamp(3) with time zone', 'numeric(10,2)[]', 'text[][]', 'jsonb', 'pg_catalog.int4', 'Double Precision', 'bit varying(8)',
      'interval day to second(3)', 'interval year to month', 'regclass', 'xid8', 'time(6) with time zone[]', 'character(5)']) {
      expect(mayHoldJson(type), type).toBe(false);
    }
  });

  it('is true for json, and for any type it does not know, which may be a composite or a domain holding json', () => {
    for (const type of ['json', 'json[]', 'labelled', 'public.labelled[]', '"Sales"."Pair"', 'payload', '"Char"']) expect(mayHoldJson(type), type).toBe(true);
  });
});

describe('jsonbValue', () => {
  it('converts a value that may hold json through its JSON text, and leaves a plain scalar as it is', () => {
    expect(jsonbValue('rowtrail', { name: 'n', type: 'integer' }, 'r."n"')).toBe('r."n"');
    expect(jsonbValue('rowtrail', { name: 'w', type: 'labelled' }, 'r."w"'))
      .toBe(`CASE WHEN strpos(pg_catalog.to_json(r."w")::text, E'\\\\u') = 0 THEN pg_catalog.to_jsonb(r."w") ELSE "rowtrail".json_as_jsonb(pg_catalog.to_json(r."w")) END`);
  });
});
