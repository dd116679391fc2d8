import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../lib/format';
import { COLLAPSE_OVER, PREVIEW_LINES, ValueView } from './value-view';

const html = (value: unknown) => renderToStaticMarkup(<ValueView value={value} />);
const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
/** What a screen reader reads: aria-hidden content left out, visually hidden (sr-only) text kept. */
const spoken = (markup: string) => decode(markup.replace(/<(\w+)[^>]*aria-hidden="true"[^>]*>.*?<\/\1>/g, '').replace(/<[^>]+>/g, ' '));
/** What a sighted reader sees: visually hidden text left out. */
const seen = (markup: string) => decode(markup.replace(/<(\w+)[^>]*class="sr-only"[^>]*>.*?<\/\1>/g, '').replace(/<[^>]+>/g, ' '));

describe('ValueView', () => {
  it('gives a recorded instant (a timestamptz, written in UTC) in the reader\'s time zone on hover, its text unchanged', () => {
    const instant = '2026-12-04T18:17:02.561+00:00';
    const markup = html(instant);
    expect(seen(markup)).toBe(instant);
    expect(decode(markup)).toContain(`title="${formatTime(instant)} in your time zone"`);
    // not a time without its zone (a timestamp: a wall-clock time), nor a text that only starts like one
    for (const other of ['2026-12-04T18:17:02.561', '2026-12-04T18:17:02Z and more', '2026-12-04']) expect(html(other)).not.toContain('title=');
  });

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

  it('shows NULL and empty text as framed markers, not as text that could be the value (not only by italics)', () => {
    expect(seen(html(null))).toBe('NULL');
    expect(seen(html(undefined))).toBe('NULL');
    expect(seen(html(''))).toBe('empty');
    for (const markup of [html(null), html('')]) expect(markup).toContain('value-marker');
    expect(html(null)).toContain('value-null');
    expect(html('')).toContain('value-empty');
    for (const text of ['null', 'NULL', '(empty)', 'empty']) {
      expect(html(text)).not.toContain('value-marker'); // a text reads as itself, unframed
      expect(seen(html(text))).toBe(text);
    }
  });

  it('shows a JSON null as one, and a json column\'s whole null as either (the API writes both as null)', () => {
    const json = renderToStaticMarkup(<ValueView value={null} nulls="json" />);
    expect(seen(json)).toBe('JSON null');
    expect(spoken(json)).toBe('JSON null');
    expect(json).toContain('value-json-null value-marker');
    const either = renderToStaticMarkup(<ValueView value={null} nulls="either" />);
    expect(seen(either)).toBe('NULL or JSON null');
    expect(spoken(either)).toMatch(/^no value \(NULL\) or JSON null/);
  });
});

describe('ValueView of a text with hidden characters or edge whitespace', () => {
  it('shows a direction control as a named marker instead of writing it to the page', () => {
    const markup = html('bruno\u202Emoc.elpmaxe@');
    expect(markup).not.toContain('\u202E');
    expect(seen(markup)).toBe('bruno ⟨U+202E⟩ moc.elpmaxe@');
    expect(markup).toContain('role="img" aria-label="hidden character U+202E, right-to-left override"');
    expect(markup).toMatch(/^<span class="value value-text " dir="auto">/); // isolated, its own direction
  });

  it('marks hidden characters in a JSON value too', () => {
    expect(seen(html({ email: 'a\u200Bb' }))).toBe('{"email":"a ⟨U+200B⟩ b"}');
  });

  it('marks whitespace at the ends of a text, and leaves ordinary text alone', () => {
    expect(seen(html('Chloé Dubois '))).toBe('Chloé Dubois ·');
    expect(html('Chloé Dubois ')).toContain('aria-label="space"');
    expect(seen(html('Chloé Dubois'))).toBe('Chloé Dubois');
    expect(html('Chloé Dubois')).toBe('<span class="value value-text " dir="auto">Chloé Dubois</span>');
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

  it('keeps its line breaks (the page shows them), and is collapsed when it has many lines, short as it may be', () => {
    expect(html('5 Main St\nDo NOT ship')).toBe('<span class="value value-text " dir="auto">5 Main St\nDo NOT ship</span>');
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n'); // 1,389 characters, 200 lines
    const short = lines.slice(0, lines.indexOf('line 100')); // under the length that collapses a value: 690 characters
    expect(short.length).toBeLessThan(COLLAPSE_OVER);
    const markup = html(short);
    expect(markup).toContain(`Show all ${short.length} characters`);
    expect(markup).toContain(`line ${PREVIEW_LINES - 1}`);
    expect(markup).not.toContain(`line ${PREVIEW_LINES}\n`);
    expect(markup.split('\n').length - 1).toBeLessThan(PREVIEW_LINES); // the preview: its first lines
    expect(html(Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n'))).not.toContain('button'); // a few lines: whole
    // a long value of long lines keeps its preview of about 300 characters
    expect(seen(html(`${'word '.repeat(300)}\n${long}`))).toContain('word word');
  });
});

describe('ValueView of an array or JSON value holding nulls', () => {
  const nullsIn = (markup: string) => [...markup.matchAll(/class="value value-([\w-]+) value-marker[^"]*"/g)].map((m) => m[1]);

  it('shows a null inside an array as the NULL marker, next to the texts "null" and "NULL"', () => {
    const markup = html(['null', null, 'NULL']);
    expect(seen(markup)).toBe('["null", NULL ,"NULL"]');
    expect(spoken(markup)).toBe('["null", no value (NULL) ,"NULL"]');
    expect(nullsIn(markup)).toEqual(['null']);
  });

  it('shows a null inside a json value as JSON null', () => {
    const markup = renderToStaticMarkup(<ValueView value={{ k: null, list: [1, null] }} nulls="either" inside="json" />);
    expect(seen(markup)).toBe('{"k": JSON null ,"list":[1, JSON null ]}');
    expect(nullsIn(markup)).toEqual(['json-null', 'json-null']);
  });

  it('copies a null marker inside a value as null', () => {
    expect(html([null])).toContain(`data-code-points="6E 75 6C 6C"`);
  });

  it('leaves values without nulls as their JSON text', () => {
    expect(seen(html(['a', 1, { b: true }]))).toBe('["a",1,{"b":true}]');
  });

  it('collapses a long value with nulls to a preview that keeps its markers', () => {
    const value = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? null : `item ${i}`));
    const markup = html(value);
    expect(markup).toContain('Show all');
    expect(nullsIn(markup).length).toBeGreaterThan(5);
    expect(nullsIn(markup).length).toBeLessThan(100);
  });
});
