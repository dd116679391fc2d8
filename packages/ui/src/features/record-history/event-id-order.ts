/** Older first. Event ids are digit strings (bigints): compared by length, then as text, never parsed into a number. */
export const byEventId = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
