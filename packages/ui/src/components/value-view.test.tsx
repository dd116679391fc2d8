import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ValueView } from './value-view';

const html = (value: unknown) => renderToStaticMarkup(<ValueView value={value} />);
const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
/** What a screen reader reads: aria-hidden content left out, visually hidden (sr-only) text kept. */
const spoken = (markup: string) => decode(markup.replace(/<(\w+)[^>]*aria-hidden="true"[^>]*>.*?<\/\1>/g, '').replace(/<[^>]+>/g, ' '));
/** What a sighted reader sees: visually hidden text left out. */
const seen = (markup: string) => decode(markup.replace(/<(\w+)[^>]*class="sr-only"[^>]*>.*?<\/\1>/g, '').replace(/<[^>]+>/g, ' '));

describe('ValueView', () => {
  it('tells a real NULL from the text "null" for screen readers, not only by italics', () => {
    expect(spoken(html(null))).not.toBe(spoken(html('null')));
    expect(spoken(html(null))).toMatch(/no value/i);
    expect(spoken(html('null'))).toBe('null');
  });

  it('tells an empty string from the text "(empty)" for screen readers', () => {
    expect(spoken(html(''))).not.toBe(spoken(html('(empty)')));
    expect(spoken(html(''))).toMatch(/empty text/i);
    expect(spoken(html('(empty)'))).toBe('(empty)');
  });

  it('keeps the visual design: the italic placeholders "null" and "(empty)"', () => {
    expect(seen(html(null))).toBe('null');
    expect(seen(html(undefined))).toBe('null');
    expect(seen(html(''))).toBe('(empty)');
    expect(html(null)).toContain('value-null');
    expect(html('')).toContain('value-empty');
    expect(html('null')).not.toContain('value-null');
  });
});

describe('ValueView of a long value', () => {
  const long = 'word '.repeat(2_000).trim(); // 9,999 characters

  it('is collapsed to a preview with a control that says how much there is', () => {
    const markup = html(long);
    expect(markup).not.toContain(long);
    expect(seen(markup)).toContain(long.slice(0, 250));
    expect(markup).toMatch(/<button type="button" class="link-button value-toggle" aria-expanded="false">Show all 9,999 characters<\/button>/);
  });

  it('is shown whole when asked for in full, and a JSON value collapses like a text', () => {
    expect(renderToStaticMarkup(<ValueView value={long} full />)).toContain(long);
    expect(html({ list: Array.from({ length: 500 }, (_, i) => i) })).toContain('Show all');
    expect(html('short text')).not.toContain('button');
  });
});
