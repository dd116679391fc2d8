import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// WCAG 2.1 contrast of the theme colours in styles.css: 4.5:1 for text (badges are small bold text), 3:1 for the focus
// ring and the boundaries of form controls (1.4.11 non-text contrast), against the page and card backgrounds.
const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');

function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1], m[2]]));
}
const light = variables(/:root \{([^}]*)\}/.exec(css)![1]);
const dark = { ...light, ...variables(/@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}/.exec(css)![1]) };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour variable the last rule naming `selector` (alone or in a list) gives its text; undefined when none does. */
function textColour(selector: string): string | undefined {
  let colour: string | undefined;
  for (const [, selectors, body] of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    if (!selectors.split(',').map((s) => s.trim()).includes(selector)) continue;
    colour = /(?:^|[;\s])color:\s*var\(--([a-z-]+)\)/.exec(body)?.[1] ?? colour;
  }
  return colour;
}

describe.each([['light', light], ['dark', dark]] as const)('%s theme contrast', (_, theme) => {
  it.each(['bg', 'surface'])('text, muted text and links are readable on --%s', (background) => {
    for (const text of ['text', 'muted', 'accent']) expect(contrast(theme[text], theme[background]), `--${text}`).toBeGreaterThanOrEqual(4.5);
  });

  it('operation badges (small bold text in --surface on the operation colour) are readable', () => {
    for (const op of ['insert', 'update', 'delete']) expect(contrast(theme.surface, theme[op]), `--${op}`).toBeGreaterThanOrEqual(4.5);
  });

  it.each(['bg', 'surface'])('the keyboard focus ring stands out from --%s', (background) => {
    expect(contrast(theme.focus, theme[background])).toBeGreaterThanOrEqual(3);
  });

  // Markers are small text inside a value, so on the old and new values' tints (and <del>/<ins>) as well as the page.
  it.each(['bg', 'surface', 'old-bg', 'new-bg'])('value markers (hidden characters, whitespace, NULL, empty) are readable on --%s', (background) => {
    const marker = textColour('.value-marker');
    for (const selector of ['.char-mark', '.ws-mark', '.value-marker', '.value-null', '.value-json-null', '.value-null-or-json-null', '.value-empty']) {
      const colour = textColour(selector) ?? marker; // the null and empty markers are .value-marker too
      expect(colour, selector).toBeDefined();
      expect(theme[colour!], `${selector}: --${colour}`).toBeDefined();
      expect(contrast(theme[colour!], theme[background]), `${selector}: --${colour}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('the old and new values are readable on their tints', () => {
    expect(contrast(theme['old-text'], theme['old-bg'])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(theme['new-text'], theme['new-bg'])).toBeGreaterThanOrEqual(4.5);
  });

  it('inputs and selects have a visible boundary', () => {
    expect(theme['control-border'], '--control-border').toBeDefined();
    expect(contrast(theme['control-border'], theme.surface)).toBeGreaterThanOrEqual(3);
    expect(/input, select \{[^}]*border: 1px solid var\(--control-border\)/.test(css)).toBe(true);
  });
});

describe('values', () => {
  it('are isolated for bidirectional text, with the arrow between them: right-to-left text cannot swap them', () => {
    const rule = /([^}\n]*)\{\s*unicode-bidi: isolate;\s*\}/.exec(css);
    const selectors = rule?.[1].split(',').map((s) => s.trim()) ?? [];
    for (const selector of ['.value', '.arrow', '.char-mark', '.ws-mark', '.word-diff']) expect(selectors, selector).toContain(selector);
  });

  it('show NULL, JSON null and empty text as framed markers, not only in italics', () => {
    expect(/\.value-marker \{[^}]*border: 1px dashed var\(--control-border\)/.test(css)).toBe(true);
  });

  it('keep their line breaks and spaces, in snapshots, rows and word diffs: a note\'s layout is its own', () => {
    const rules = [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)];
    const whiteSpace = (selector: string) => rules.filter(([, selectors]) => selectors.split(',').map((s) => s.trim()).includes(selector))
      .map(([, , body]) => /(?:^|[;\s])white-space:\s*([a-z-]+)/.exec(body)?.[1]).filter(Boolean).at(-1);
    for (const selector of ['.value-text', '.word-diff']) expect(whiteSpace(selector), selector).toBe('pre-wrap');
  });
});
