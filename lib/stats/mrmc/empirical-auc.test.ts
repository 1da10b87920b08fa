import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { empiricalAuc, placementValues } from './empirical-auc';
import { mean, psiMatrix } from '@/tests/support/mrmc';

const ratings = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 25 });

describe('empirical AUC and placement values', () => {
  it('counts ties as ½', () => {
    expect(empiricalAuc([1], [1])).toBe(0.5);
    expect(empiricalAuc([2, 1], [1, 0])).toBe((1 + 0.5 + 1 + 1) / 4);
    expect(empiricalAuc([3, 3], [3, 3, 3])).toBe(0.5);
  });

  it('is 1 for perfect separation and 0 when reversed', () => {
    expect(empiricalAuc([5, 6, 7], [1, 2])).toBe(1);
    expect(empiricalAuc([1, 2], [5, 6, 7])).toBe(0);
  });

  it('matches the O(n1·n0) ψ-matrix definition, including ties', () => {
    fc.assert(
      fc.property(ratings, ratings, (pos, neg) => {
        const m = psiMatrix(pos, neg);
        const p = placementValues(pos, neg);
        expect(p.auc).toBeCloseTo(mean(m.flat()), 14);
        m.forEach((row, i) => expect(p.v10[i]).toBeCloseTo(mean(row), 14));
        neg.forEach((_, j) => expect(p.v01[j]).toBeCloseTo(mean(m.map((row) => row[j])), 14));
      }),
      { numRuns: 500 },
    );
  });

  it('is complementary when the classes are swapped, and invariant to monotone transforms', () => {
    fc.assert(
      fc.property(ratings, ratings, (pos, neg) => {
        const auc = empiricalAuc(pos, neg);
        expect(empiricalAuc(neg, pos)).toBeCloseTo(1 - auc, 14);
        const f = (x: number) => Math.exp(x / 3) * 7 - 2;
        expect(empiricalAuc(pos.map(f), neg.map(f))).toBe(auc);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an empty class', () => {
    expect(() => placementValues([], [1])).toThrow(/both truth classes/);
  });
});
