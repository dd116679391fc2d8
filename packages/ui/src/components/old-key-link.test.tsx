import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../lib/exact-json';
import { OldKeyLink } from './old-key-link';

describe('OldKeyLink', () => {
  it('links "key changed from id 6" to the history of the old key', () => {
    const html = renderToStaticMarkup(<OldKeyLink table="public.customer" oldKey={{ id: 6 }} />);
    expect(html.replace(/<[^>]+>/g, '')).toBe('key changed from id 6');
    expect(html).toContain(`href="#/records/public.customer?key=${encodeURIComponent('{"id":6}')}"`);
  });

  it('keeps every digit of a big key in the link', () => {
    const html = renderToStaticMarkup(<OldKeyLink table="public.account" oldKey={parseExactJson('{"id":9007199254740993}') as Record<string, unknown>} />);
    expect(html).toContain(encodeURIComponent('{"id":9007199254740993}'));
  });
});
