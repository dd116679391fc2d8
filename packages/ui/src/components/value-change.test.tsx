import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../lib/exact-json';
import { ValueChange, WORD_DIFF_MAX_CHARS, wordDiff } from './value-change';

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

  it('shows very different long texts whole, with a note', () => {
    const [old, next] = [words(4000, 1), words(4000, 2)];
    expect(old.length).toBeLessThan(WORD_DIFF_MAX_CHARS * 3);
    const html = render(old, next);
    expect(html).not.toContain('<del>');
    expect(html).toContain('shown whole');
    expect(html).toContain(old);
    expect(html).toContain(next);
    const short = [words(800, 1), words(800, 2)]; // within the size limit, beyond the edit limit
    expect(short[0].length).toBeLessThan(WORD_DIFF_MAX_CHARS);
    // bounded by the edit limit, not diffed to the end (how fast that is, the benchmarks measure)
    expect(wordDiff(short[0], short[1])).toEqual({ tooDifferent: true });
  });

  it('shows texts over the size limit whole without diffing them', () => {
    const old = words(2000, 1);
    expect(old.length).toBeGreaterThan(WORD_DIFF_MAX_CHARS);
    expect(wordDiff(old, `${old} more`)).toEqual({ tooLong: true });
    expect(render(old, `${old} more`)).toContain('Too long for a word diff');
  });
});
