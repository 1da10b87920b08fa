import { describe, expect, it } from 'vitest';
import { HELD_OUT_IMAGES, heldOutIndices } from './training-sets';

describe('the held-out split (the last 1,000 images of a training set)', () => {
  it('spreads the asked number of indices over N−1000 … N−1 only', () => {
    const indices = heldOutIndices(8617, 200);
    expect(indices).toHaveLength(200);
    expect(new Set(indices).size).toBe(200);
    expect(indices[0]).toBe(7617);
    expect(Math.max(...indices)).toBe(8612);
    expect(indices.every((i) => i >= 8617 - HELD_OUT_IMAGES && i < 8617)).toBe(true);
  });

  it('gives the whole range when asked for 1,000 or more, and refuses a set with no training split', () => {
    expect(heldOutIndices(10_000, 5000)).toEqual(Array.from({ length: 1000 }, (_, k) => 9000 + k));
    expect(() => heldOutIndices(1000, 10)).toThrow(/no training split/);
  });
});
