import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StudyInfeasibleError } from './errors';
import { labelRepeatSlots } from './repeats';
import { rngFromSeed } from './rng';

/** Hall's condition for a labelling: the k-th repeat slot has ≥ k first showings far enough back. */
function labellingWorks(positions: readonly number[], isRepeat: readonly boolean[], gap: number): boolean {
  let k = 0;
  return positions.every((q, i) => {
    if (!isRepeat[i]) return true;
    k++;
    return positions.filter((p, j) => !isRepeat[j] && p <= q - gap - 1).length >= k;
  });
}

/** Exhaustive: does any labelling with `repeats` repeats work? */
function anyLabelling(positions: readonly number[], repeats: number, gap: number): boolean {
  const n = positions.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const labels = positions.map((_, i) => ((mask >> i) & 1) === 1);
    if (labels.filter(Boolean).length === repeats && labellingWorks(positions, labels, gap)) return true;
  }
  return false;
}

const instance = fc
  .record({
    steps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 10 }),
    gap: fc.nat(4),
    share: fc.double({ min: 0, max: 0.5, noNaN: true }),
    seed: fc.stringMatching(/^[0-9a-f]{32}$/),
  })
  .map(({ steps, gap, share, seed }) => {
    const positions = steps.map((_, i) => steps.slice(0, i + 1).reduce((a, b) => a + b, 0));
    const repeats = Math.floor(positions.length * share);
    return { positions, repeats, firsts: positions.length - repeats, gap, seed };
  });

describe('labelRepeatSlots', () => {
  it('finds a valid labelling exactly when one exists', () => {
    fc.assert(
      fc.property(instance, ({ positions, repeats, firsts, gap, seed }) => {
        const exists = anyLabelling(positions, repeats, gap);
        if (!exists) {
          expect(() => labelRepeatSlots(rngFromSeed(seed), positions, firsts, repeats, gap)).toThrow(StudyInfeasibleError);
          return;
        }
        const labels = labelRepeatSlots(rngFromSeed(seed), positions, firsts, repeats, gap);
        expect(labels.filter(Boolean)).toHaveLength(repeats);
        expect(labellingWorks(positions, labels, gap)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('spreads repeats over the sequence', () => {
    const positions = Array.from({ length: 1000 }, (_, i) => i);
    const labels = labelRepeatSlots(rngFromSeed('a'.repeat(32)), positions, 900, 100, 2);
    const secondHalf = labels.slice(500).filter(Boolean).length;
    expect(secondHalf).toBeGreaterThan(30);
    expect(secondHalf).toBeLessThan(70);
  });

  it('explains when repeats cannot be far enough from their first showing', () => {
    expect(() => labelRepeatSlots(rngFromSeed('b'.repeat(32)), [0, 1, 2, 3], 2, 2, 2)).toThrow(
      /Cannot place 2 repeated image\(s\) .* at least 2 items after/,
    );
  });
});
