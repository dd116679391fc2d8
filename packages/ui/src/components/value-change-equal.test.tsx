import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../lib/exact-json';
import { EventChanges } from './event-changes';
import { ValueChange } from './value-change';

// The `changes` of real UPDATE events, as GET /api/history wrote them (PostgreSQL 15): columns compared as text (json, a
// composite type) or with an equality that counts array bounds, whose jsonb diff reads the same on both sides.
const RECORDED = {
  keyOrder: '{"doc": [{"a": [1, 2], "b": 1}, {"a": [1, 2], "b": 1}]}', // '{"b": 1, "a": [1, 2]}' → '{"a": [1,2],   "b": 1}'
  arrayBounds: '{"tags": [[1, 2, 3], [1, 2, 3]]}', // '{1,2,3}' → '[0:2]={1,2,3}'
  composite: '{"p": [{"a": 1, "j": {"x": 1}}, {"a": 1, "j": {"x": 1}}]}', // row(1, '{"x":1}') → row(1, '{ "x": 1 }')
  scalar: '{"j": [100, 100]}', // json '1e2' → '100'
  longText: `{"j": ["${'word '.repeat(30)}", "${'word '.repeat(30)}"]}`, // json ' "word …" ' → '"word …"'
  jsonNull: '{"b": [null, null]}', // jsonb 'null' → NULL
  numberText: '{"c": [{"a": [1], "n": 1.0, "x": 0}, {"a": [1], "n": 1.00, "x": 0}]}', // numeric 1.0 → 1.00 inside a composite
  scalarNumberText: '{"j": [1.0, 1]}',
  realChange: '{"doc": [{"a": [1, 2], "b": 1}, {"a": [1, 2], "b": 2}]}',
};

// EventChanges asks for the tracked tables (their column types say what a null is): a client that has not loaded them.
const renderChanges = (changes: string) => renderToStaticMarkup(
  <QueryClientProvider client={new QueryClient()}>
    <EventChanges event={{ operation: 'UPDATE', changes: parseExactJson(changes) as Record<string, unknown> }} />
  </QueryClientProvider>,
);
/** The visible text (tags dropped, a few entities decoded). */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&gt;/g, '>');
const EQUAL_NOTE = 'Both sides are equal as recorded';

describe('ValueChange of a change whose sides are equal as JSON values', () => {
  it.each(['keyOrder', 'arrayBounds', 'composite', 'scalar', 'longText'] as const)('says so instead of showing an identical diff (%s)', (name) => {
    const html = renderChanges(RECORDED[name]);
    expect(text(html)).toContain(`${EQUAL_NOTE}: the column's text changed only in what JSON does not keep`);
    expect(html).not.toContain('changed to'); // no old → new arrow
    expect(html).not.toContain('class="value value-json old"');
    expect(html).not.toContain('<del>');
    expect(html.match(/class="value /g)).toHaveLength(1); // the value, once
  });

  it('shows the value once, exactly as recorded', () => {
    expect(text(renderChanges(RECORDED.arrayBounds))).toMatch(/bounds\)\.\[1,2,3\]$/);
    expect(text(renderChanges(RECORDED.keyOrder))).toContain('{"a":[1,2],"b":1}');
  });

  it('explains a change between SQL NULL and JSON null, which both read null', () => {
    const html = renderChanges(RECORDED.jsonNull);
    expect(text(html)).toBe('bChanged between SQL NULL and the JSON value null, which this diff cannot tell apart.');
  });

  it('shows which number is written differently when the values are equal but do not read the same', () => {
    const html = renderChanges(RECORDED.numberText);
    expect(text(html)).toContain('Equal in value: only how a number is written changed');
    expect(text(html)).not.toContain(EQUAL_NOTE);
    expect(text(html)).toContain('n 1.0 → 1.00'); // at its path
    expect(text(renderChanges(RECORDED.scalarNumberText))).toContain('1.0 → 1');
  });

  it('leaves real changes as they were', () => {
    const html = renderChanges(RECORDED.realChange);
    expect(text(html)).toBe('docb 1 → 2');
    expect(text(renderToStaticMarkup(<ValueChange column="c" old={parseExactJson('9007199254740993')} next={parseExactJson('9007199254740992')} />)))
      .toBe('c9007199254740993 → 9007199254740992');
  });
});
