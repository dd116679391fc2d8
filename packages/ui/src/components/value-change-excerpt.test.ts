import { describe, expect, it } from 'vitest';
import { textChange } from './value-change-diff';
import { CONTEXT_CHARS, excerpt } from './value-change-excerpt';

const shownLength = (pieces: ReturnType<typeof excerpt>['pieces']) =>
  pieces.reduce((sum, p) => sum + (p.kind === 'elided' ? p.count : p.text.length), 0);

describe('excerpt', () => {
  it('keeps short changes whole', () => {
    const { segments } = textChange('the grinder has steel burrs', 'the grinder has ceramic burrs');
    expect(excerpt(segments)).toEqual({ pieces: segments, shortened: false });
  });

  it('shows a little context on each side of a change in a long text and counts the rest', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(4000);
    const { segments } = textChange(`${filler}steel ${filler}`, `${filler}ceramic ${filler}`);
    const { pieces, shortened } = excerpt(segments);
    expect(shortened).toBe(true);
    expect(pieces.map((p) => p.kind)).toEqual(['elided', 'same', 'removed', 'added', 'same', 'elided']);
    const [, before, , , after] = pieces as { text: string }[];
    expect(before.text.length).toBeLessThanOrEqual(CONTEXT_CHARS);
    expect(before.text.length).toBeGreaterThan(CONTEXT_CHARS / 2);
    expect(filler[filler.length - before.text.length - 1]).toBe(' '); // cut between words
    expect(after.text.length).toBeLessThanOrEqual(CONTEXT_CHARS);
    // every character of the old text is either shown or counted
    const oldPieces = pieces.filter((p) => p.kind === 'elided' ? p.of !== 'added' : p.kind !== 'added');
    expect(shownLength(oldPieces)).toBe(filler.length * 2 + 'steel '.length);
  });

  it('shortens an unchanged stretch between two changes to its ends, and a long removed or added piece to its start', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(100);
    const { segments } = textChange(`one ${filler}two`, `uno ${filler}dos`);
    const { pieces } = excerpt(segments);
    expect(pieces.map((p) => p.kind)).toEqual(['removed', 'added', 'same', 'elided', 'same', 'removed', 'added']);
    const added = excerpt([{ kind: 'added', text: 'x '.repeat(5000) }]).pieces;
    expect(added.map((p) => p.kind)).toEqual(['added', 'elided']);
    expect(shownLength(added)).toBe(10_000);
  });
});
