import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../api/types';
import { parseExactJson } from '../lib/exact-json';
import { columnNulls } from './column-nulls';
import { EventChanges } from './event-changes';
import { SnapshotView } from './snapshot-view';
import { ValueChange } from './value-change';
import { ValueView } from './value-view';

// In a json/jsonb value the string "1" and the number 1 (or "true" and true) are different values: a diff that wrote
// both without quotes read `1 → 1`, as if nothing changed.
const JSONB = columnNulls('jsonb');
const TEXT = columnNulls('text');
const json = (text: string) => parseExactJson(text);

/** The visible text of a field's values (without the column name, screen-reader-only text or tags). */
const seen = (html: string) => html.slice(html.indexOf('field-values'))
  .replace(/^[^>]*>/, '')
  .replace(/<span class="sr-only">.*?<\/span>/g, '')
  .replace(/<[^>]+>/g, '')
  .replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const change = (old: unknown, next: unknown, nulls = JSONB) => seen(renderToStaticMarkup(<ValueChange column="c" old={old} next={next} nulls={nulls} />));

describe('strings inside json values', () => {
  it('a jsonb column\'s whole value: the string "1" → the number 1 reads as a change of type', () => {
    expect(change(json('"1"'), json('1'))).toBe('"1" → 1');
    expect(change(json('"true"'), json('true'))).toBe('"true" → true');
    expect(change(json('"null"'), json('"x"'))).toBe('"null" → "x"');
  });

  it('a structured diff quotes the strings at its paths', () => {
    expect(change(json('{"active":"true"}'), json('{"active":true}'))).toBe('active "true" → true');
    expect(change(json('{"n":"1"}'), json('{"n":1}'))).toBe('n "1" → 1');
    expect(change(json('{"roast":"light"}'), json('{"roast":"dark","n":"2"}'))).toBe('roast "light" → "dark"n "2"');
    expect(change(json('{"a":[1]}'), json('{"a":["1"]}'))).toBe('a[0] 1 → "1"');
  });

  it('writes a string as JSON does, its edge whitespace still marked inside the quotes', () => {
    const html = renderToStaticMarkup(<ValueChange column="c" old={json('{"name":"Chloé"}')} next={json('{"name":"Chloé "}')} nulls={JSONB} />);
    expect(seen(html)).toBe('name "Chloé" → "Chloé·"');
    expect(html).toContain('aria-label="space"');
    expect(change(json('{"q":"say \\"hi\\""}'), json('{"q":1}'))).toBe('q "say \\"hi\\"" → 1');
  });

  it('a json value\'s empty string stays the empty marker', () => {
    expect(change(json('{"k":""}'), json('{"k":0}'))).toBe('k empty → 0');
  });

  it('a text column keeps its text unquoted', () => {
    expect(change('1', '2', TEXT)).toBe('1 → 2');
    expect(change('light', 'dark', TEXT)).toBe('light → dark');
    const view = renderToStaticMarkup(<ValueView value="Chloé Dubois" />);
    expect(view).toBe('<span class="value value-text " dir="auto">Chloé Dubois</span>');
  });

  it('a string and a number read apart even when the column\'s type is not known (a column dropped since)', () => {
    expect(change('1', 1, TEXT)).toBe('"1" → 1');
    expect(change('{"a":1}', json('{"a":1}'), TEXT)).toBe('"{\\"a\\":1}" → {"a":1}');
  });

  it('a long string of a json value collapses to a preview without its closing quote', () => {
    const long = 'x'.repeat(2000);
    const html = renderToStaticMarkup(<ValueView value={long} inside="json" />);
    const shown = seen(`field-values>${html}`);
    expect(shown.startsWith('"xxx')).toBe(true);
    expect(shown).not.toMatch(/x"/);
    expect(html).toContain('Show all 2,002 characters');
  });
});

describe('snapshots and rows of a jsonb column', () => {
  const table: Partial<TrackedTable> = {
    table: 'public.item', primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }, { name: 'label', type: 'text' }, { name: 'attributes', type: 'jsonb' }],
  };
  function render(node: React.ReactNode): string {
    const client = new QueryClient();
    client.setQueryData(['tables'], { tables: [table] });
    return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
  }
  const cell = (html: string, column: string) =>
    new RegExp(`data-column="${column}"><th scope="row">${column}</th><td>(.*?)</td></tr>`).exec(html)![1].replace(/<[^>]+>/g, '').replace(/&quot;/g, '"');

  it('a snapshot quotes a jsonb column\'s string, not a text column\'s', () => {
    const html = render(<SnapshotView table="public.item" snapshot={{ id: 1, label: '1', attributes: '1' }} />);
    expect(cell(html, 'attributes')).toBe('"1"');
    expect(cell(html, 'label')).toBe('1');
    expect(cell(render(<SnapshotView table="public.item" snapshot={{ id: 1, label: '1', attributes: 1 }} />), 'attributes')).toBe('1');
  });

  it('an update of the feed or the timeline: the jsonb column\'s change of type shows', () => {
    const html = render(<EventChanges event={{ table: 'public.item', operation: 'UPDATE', changes: { attributes: [json('{"n":"1"}'), json('{"n":1}')], label: ['1', '2'] } }} />);
    expect(html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ')).toContain('n "1" → 1');
    expect(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('label 1 → 2');
  });
});
