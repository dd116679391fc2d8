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
    expect(seen(render('a b', 'a  b'))).toBe('c a · b → a · · b'); // every space: one more in a run is hard to see
  });

  it('marks it in a long text too, where the word diff shows the whitespace added or removed', () => {
    const old = 'the grinder has steel burrs and a timer that counts down the seconds';
    const html = render(old, `${old} `);
    expect(html).toContain('word-diff');
    expect(html).toMatch(/<ins><span class="ws-mark"[^>]*aria-label="space"[^>]*>·<\/span><\/ins>/);
    expect(seen(html)).toBe(`c ${old} ·`); // the text once, the space that was added marked
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

describe('whitespace and line breaks in the word diff of a long text', () => {
  const filler = 'lorem ipsum dolor sit amet '.repeat(20); // longer than the context shown around a change
  /** The removed (del) or added (ins) mark holding a marker of this name. */
  const marked = (tag: 'ins' | 'del', label: string, shown: string) =>
    new RegExp(`<${tag}>[^<]*<span class="ws-mark"[^>]*aria-label="${label}"[^>]*>${shown}</span>`);

  it('shows a removed line break as a marker inside the removed text', () => {
    const [old, next] = ['Deliver to 5 Main St\nDo NOT ship before noon, ring twice at the back door', 'Deliver to 5 Main Street Do NOT ship before noon, ring twice at the back door'];
    const html = render(old, next);
    expect(html).toMatch(/<del>St<span class="ws-mark"[^>]*aria-label="line break"[^>]*>↵<\/span><\/del>/);
    expect(seen(html)).toBe('c Deliver to 5 Main St ↵ Street Do NOT ship before noon, ring twice at the back door');
  });

  it('shows two spaces for one next to another change, not as unchanged text', () => {
    const html = render(`status is good, ${filler}steel burrs`, `status is  good, ${filler}ceramic burrs`);
    expect(html).toMatch(marked('ins', 'space', '·'));
    expect(seen(html)).toMatch(/^c status is · good, lorem/);
    expect(html).toContain('<del>steel</del>');
  });

  it('word-diffs a long text whose only change is whitespace, marking the whitespace that changed', () => {
    const html = render(`${filler}\nDo NOT ship`, `${filler} Do NOT ship`);
    expect(html).toContain('word-diff');
    expect(html).toMatch(marked('del', 'line break', '↵'));
    expect(html).toMatch(marked('ins', 'space', '·'));
    expect(seen(html)).toMatch(/amet ↵ · Do NOT ship Show the old and new text in full$/);
    // an emoji, two spaces for one in the middle of a long text: the place of the change, not two copies of the text
    const old = `👍 ${'word '.repeat(300)}end`;
    const spaces = render(old, old.replace('word end', 'word  end'));
    expect(spaces).toMatch(marked('ins', 'space', '·'));
    expect(seen(spaces)).toMatch(/unchanged characters…\] (word )+· end Show the old and new text in full$/);
    expect(spaces.length).toBeLessThan(3_000);
  });

  it('marks a run of spaces or a tab inside added text, leaving single spaces between words alone', () => {
    const html = render(`the grinder has steel burrs and ${filler}`, `the grinder has stainless\tsteel  burrs and ${filler}`);
    expect(seen(html)).toMatch(/^c the grinder has stainless ⇥ steel · burrs and lorem ipsum/); // a second space added
    expect(render(`${filler}steel burrs`, `${filler}conical ceramic burrs`)).toContain('<ins>conical ceramic</ins>');
  });
});

describe('a change of whitespace only in a long string inside a JSON value', () => {
  // Its two sides are collapsed to previews of their first few hundred characters, which may read exactly alike.
  const json = (text: string) => parseExactJson(JSON.stringify({ note: text }));

  it('says where the texts first differ and shows that place of each, the whitespace marked', () => {
    const old = `${'x'.repeat(1200)} `;
    const html = render(json(old), json('x'.repeat(1200)));
    expect(seen(html)).toContain(`Differs only in whitespace, first at character 1,201: … ${'x'.repeat(30)} · → … ${'x'.repeat(30)}`);
  });

  it('counts an emoji as one character, and says it for a change inside the text too', () => {
    const old = `👍 ${'word '.repeat(300)}end`;
    const html = render(json(old), json(old.replace('word end', 'word  end')));
    expect(seen(html)).toMatch(/first at character 1,503: … (word · )+end → … (word · )+· end /);
  });

  it('is left out for a short text, whose whitespace is marked in full', () => {
    expect(render('a b', 'a  b')).not.toContain('Differs only in whitespace');
  });
});
