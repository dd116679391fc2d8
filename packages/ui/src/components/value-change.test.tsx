import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../lib/exact-json';
import { ValueChange } from './value-change';
import { textChange, WORD_DIFF_MAX_CHARS } from './value-change-diff';

/** n pseudo-random words (the same text for the same seed). */
function words(n: number, seed: number): string {
  let s = seed;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(`w${s % 5000}`);
  }
  return out.join(' ');
}

const render = (old: unknown, next: unknown) => renderToStaticMarkup(<ValueChange column="c" old={old} next={next} />);
/** The visible text of the values (without the column name). */
const text = (html: string) => html.slice(html.indexOf('field-values')).replace(/^[^>]*>/, '').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&gt;/g, '>');

describe('ValueChange', () => {
  it('shows big integers and precise decimals exactly as the API wrote them', () => {
    const [balance, rate, data] = ['[9007199254740993,9007199254740992]', '[0.1000000000000000001,0.1000000000000000002]',
      '[{"n":12345678901234567891},{"n":12345678901234567892}]'].map((t) => parseExactJson(t) as [unknown, unknown]);
    expect(text(render(...balance))).toBe('9007199254740993 → 9007199254740992');
    expect(text(render(...rate))).toBe('0.1000000000000000001 → 0.1000000000000000002');
    // A jsonb change in the 20th digit is a change, at its path.
    expect(text(render(...data))).toBe('n 12345678901234567891 → 12345678901234567892');
  });

  it('names the arrow between the old and the new value for screen readers', () => {
    const html = render('standard', 'gold');
    expect(html).toContain('<span class="arrow" role="img" aria-label="changed to">→</span>');
  });

  it('gives every JSON path a line and a key of its own', () => {
    const html = render(parseExactJson('{"a.b":1,"a":{"b":1}}'), parseExactJson('{"a.b":2,"a":{"b":2},"valueOf":3}'));
    expect(html.match(/<li /g)).toHaveLength(3);
    expect(text(html)).toBe('["a.b"] 1 → 2a.b 1 → 2valueOf added 3');
  });

  it('word-diffs long texts that changed a little', () => {
    const old = `${words(300, 1)} steel burrs`;
    const html = render(old, old.replace('steel', 'ceramic'));
    expect(html).toContain('<del>steel</del>');
    expect(html).toContain('<ins>ceramic</ins>');
    // what a screen reader reads says which words were removed and added (it does not announce <del>/<ins>)
    expect(text(html)).toContain(' [removed: steel][added: ceramic] burrs');
  });

  it('shows very different long texts as removed and added text, shortened, with a note and the full texts on demand', () => {
    const [old, next] = [words(800, 1), words(800, 2)]; // within the size limit, beyond the edit limit
    const html = render(old, next);
    expect(html).toContain('Too many differences for a word diff');
    expect(html).not.toContain(old);
    expect(html).not.toContain(next);
    expect(html).toContain(`<del>${old.slice(0, 200)}`); // the start of what was removed and of what was added
    expect(html).toContain(`<ins>${next.slice(0, 200)}`);
    expect(text(html)).toMatch(/more removed characters/);
    expect(html).toContain('Show the old and new text in full');
    expect(old.length).toBeLessThan(WORD_DIFF_MAX_CHARS);
    // bounded by the edit limit, not diffed to the end (how fast that is, the benchmarks measure)
    expect(textChange(old, next).reason).toBe('tooDifferent');
  });

  it('finds a small edit in the middle of a very long text and shows it with a little context, not both texts', () => {
    // A 228 KB text with 15 characters changed in the middle (the reviewer's case): it was printed twice, whole.
    const old = words(40_000, 3);
    expect(old.length).toBeGreaterThan(200_000);
    const middle = old.indexOf(' ', old.length / 2);
    const next = `${old.slice(0, middle)} fifteen chars!${old.slice(middle)}`;
    const html = render(old, next);
    expect(html).not.toContain('Too long');
    expect(html).toContain('<ins>fifteen chars! </ins>');
    expect(html.length).toBeLessThan(2_000);
    expect(text(html)).toContain(old.slice(middle - 40, middle)); // the words just before the edit
    expect(text(html)).toMatch(/unchanged characters/);
    expect(html).toContain('Show the old and new text in full');
  });

  it('does not word-diff a changed region over the size limit, and shortens it', () => {
    const old = `intro ${words(4000, 1)} outro`;
    const next = `intro ${words(4000, 2)} outro`;
    expect(old.length).toBeGreaterThan(WORD_DIFF_MAX_CHARS);
    expect(textChange(old, next).reason).toBe('tooLong');
    const html = render(old, next);
    expect(html).toContain('too long for a word diff');
    expect(html.length).toBeLessThan(3_000);
  });
});

describe('ValueChange of a long text emptied or filled', () => {
  const long = `${words(30, 7)} end`; // over the word diff's threshold
  it('shows the empty marker for a long text changed to an empty string, as for a short one', () => {
    const short = render('gold', '');
    expect(short).toContain('value-empty');
    const html = render(long, '');
    expect(html).toContain('value-empty');
    expect(text(html)).toBe(`${long} → emptyempty text`);
    expect(html).not.toContain('<del>');
  });

  it('shows the empty marker for an empty string changed to a long text', () => {
    const html = render('', long);
    expect(html).toContain('value-empty');
    expect(text(html)).toBe(`emptyempty text → ${long}`);
  });
});
