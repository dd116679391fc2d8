import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ValueText } from '../components/value-text';
import { codePoints } from './value-copy';

describe('codePoints', () => {
  it('names each character of a marker by its code point, a line break pair as two', () => {
    expect(codePoints('\r\n')).toBe('D A');
    expect(codePoints('\u202E')).toBe('202E');
    expect(codePoints('\u{1F600}')).toBe('1F600');
  });

  it('is what a marker carries for a copy to put back, never the character itself', () => {
    const markup = renderToStaticMarkup(<ValueText text={'a\u202Eb '} />);
    expect(markup).toContain('data-code-points="202E"');
    expect(markup).toContain('data-code-points="20"');
    expect(markup).not.toContain('\u202E');
  });
});
