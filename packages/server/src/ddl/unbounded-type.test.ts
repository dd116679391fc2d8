import { describe, expect, it } from 'vitest';
import { unboundedType } from './unbounded-type.js';

describe('unboundedType (pure)', () => {
  it.each([
    ['character varying(255)', 'character varying'],
    ['varchar(20)', 'varchar'],
    ['character(3)', 'text'],
    ['char', 'text'],
    ['bit(8)', 'varbit'],
    ['bit varying(5)', 'bit varying'],
    ['numeric(10,2)', 'numeric'],
    ['decimal(6, 2)', 'numeric'],
    ['timestamp(3) with time zone', 'timestamp with time zone'],
    ['time(0) without time zone', 'time without time zone'],
    ['interval(2)', 'interval'],
    ['interval year to month', 'interval'],
    ['interval day to second(3)[]', 'interval[]'],
    ['numeric(10,2)[]', 'numeric[]'],
    ['character varying(40)[3]', 'character varying[]'],
    ['integer', 'integer'],
    ['jsonb', 'jsonb'],
    ['"My Type"', '"My Type"'],
    ['geometry(Point,4326)', 'geometry(Point,4326)'],
  ])('%s → %s', (source, expected) => {
    expect(unboundedType(source)).toBe(expected);
  });
});
