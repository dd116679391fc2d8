import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuid-v7.js';

describe('uuidV7', () => {
  it('is a version 7, variant 1 UUID whose first 48 bits are the time, so ids sort by creation time', () => {
    const id = uuidV7(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = [3, 1, 2].map((ms) => uuidV7(1_700_000_000_000 + ms));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
    expect(new Set(Array.from({ length: 1000 }, () => uuidV7(5))).size).toBe(1000);
  });
});

describe('uuidV7 bits', () => {
  it('keeps the random bits random: the 74 bits after the version and variant vary', () => {
    const ids = Array.from({ length: 2000 }, () => uuidV7(42));
    for (const position of [15, 16, 17, 20, 21, 22, 24, 35]) {
      expect(new Set(ids.map((id) => id[position])).size, `hex digit ${position}`).toBeGreaterThan(8);
    }
    // the variant digit takes the four values of variant 1 (10xx)
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });
});
