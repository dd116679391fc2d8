import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { tablesQuery } from '../api/get-tables';
import type { TrackedTable } from '../api/types';
import { parseExactJson } from '../lib/exact-json';
import { EventChanges } from './event-changes';
import { ValueChange } from './value-change';

/** What a sighted reader sees: visually hidden text left out, tags as spaces. */
const seen = (markup: string) => markup.replace(/<(\w+)[^>]*class="sr-only"[^>]*>.*?<\/\1>/g, '').replace(/<[^>]+>/g, ' ')
  .replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();
const render = (old: unknown, next: unknown) => renderToStaticMarkup(<ValueChange column="c" old={old} next={next} />);

describe('ValueChange of a change of whitespace only', () => {
  it('marks the whitespace that changed, which would otherwise read "x → x"', () => {
    expect(seen(render('Chloé Dubois', 'Chloé Dubois '))).toBe('c Chloé Dubois → Chloé Dubois ·');
    expect(seen(render('a b', 'a  b'))).toBe('c a · b → a · · b'); // every space: the page would collapse a run of them
  });

  it('marks it in a long text too, which a word diff (blind to whitespace) would show unchanged', () => {
    const old = 'the grinder has steel burrs and a timer that counts down the seconds';
    const html = render(old, `${old} `);
    expect(html).toContain('aria-label="space"');
    expect(seen(html).endsWith('seconds ·')).toBe(true);
    expect(html).not.toContain('word-diff');
  });

  it('keeps the markers out of a real change', () => {
    expect(seen(render('standard', 'gold'))).toBe('c standard → gold');
  });
});

describe('a direction control in a changed value', () => {
  it('is shown as a marker, so it cannot reverse the arrow or the other value', () => {
    const html = render('bruno\u202Emoc.elpmaxe@', 'bruno.costa@example.com');
    expect(html).not.toContain('\u202E');
    expect(seen(html)).toBe('c bruno ⟨U+202E⟩ moc.elpmaxe@ → bruno.costa@example.com');
  });
});

describe('nulls of a jsonb column', () => {
  const product: Partial<TrackedTable> = { table: 'public.product', columns: [{ name: 'attributes', type: 'jsonb' }, { name: 'name', type: 'text' }] };
  const renderEvent = (changes: string) => {
    const client = new QueryClient();
    client.setQueryData(tablesQuery().queryKey, { tables: [product] });
    return renderToStaticMarkup(
      <QueryClientProvider client={client}>
        <EventChanges event={{ table: 'public.product', operation: 'UPDATE', changes: parseExactJson(changes) as Record<string, unknown> }} />
      </QueryClientProvider>,
    );
  };

  it('shows a null inside a JSON value as a JSON null, not a NULL', () => {
    const html = renderEvent('{"attributes": [{"k": ""}, {"k": null}]}');
    expect(seen(html)).toBe('attributes k empty → JSON null');
    expect(html).not.toContain('no value (NULL)');
  });

  it('says a whole value\'s null may be either: the API writes SQL NULL and JSON null alike', () => {
    expect(seen(renderEvent('{"attributes": [{"roast": "light"}, null]}'))).toBe('attributes {"roast":"light"} → NULL or JSON null');
    expect(seen(renderEvent('{"name": ["Kenya", null]}'))).toBe('name Kenya → NULL'); // not a JSON column: a SQL NULL
  });
});

describe('a change of whitespace only in a long text', () => {
  // Its two sides are collapsed to previews of their first few hundred characters, which may read exactly alike.
  it('says where the texts first differ and shows that place of each, the whitespace marked', () => {
    const old = `${'x'.repeat(1200)} `;
    const html = render(old, 'x'.repeat(1200));
    expect(seen(html)).toContain(`Differs only in whitespace, first at character 1,201: … ${'x'.repeat(30)} · → … ${'x'.repeat(30)}`);
  });

  it('counts an emoji as one character, and says it for a change inside the text too', () => {
    const old = `👍 ${'word '.repeat(300)}end`;
    const html = render(old, old.replace('word end', 'word  end'));
    expect(seen(html)).toMatch(/first at character 1,503: … (word · )+end → … (word · )+· end /);
  });

  it('is left out for a short text, whose whitespace is marked in full', () => {
    expect(render('a b', 'a  b')).not.toContain('Differs only in whitespace');
  });
});
