import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion } from './apportion';

describe('apportion', () => {
  it('splits in proportion, largest remainders first', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [5, 3, 2])).toEqual([4, 2, 1]); // quotas 3.5, 2.1, 1.4
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
  });

  it('respects caps and hands the excess to the others', () => {
    expect(apportion(10, [1, 1], [0, 0], [2, 100])).toEqual([2, 8]);
    expect(apportion(6, [1, 0, 0], [0, 0, 0], [2, 1, 3])).toEqual([2, 1, 3]); // zero weights fill last
  });

  it('respects minimums', () => {
    expect(apportion(4, [1, 0], [0, 3], [4, 4])).toEqual([1, 3]);
  });

  it('gives the largest remainders when a lower bound starts the segment λ lies on', () => {
    // Bounded quotas 60·31/85 = 21.88, 60·7/85 = 4.94, 60·47/85 = 33.18 (no bound binds): floors 21, 4, 33, and the two
    // units left go to the fractions .94 and .88. λ's segment starts at 3/47, where the third group's lower bound
    // stops binding, and (3 / 47) · 47 < 3 in floating point (this case gave [22, 4, 34]).
    expect(apportion(60, [31, 7, 47], [0, 0, 3], [22, 5, 35])).toEqual([22, 5, 33]);
  });

  it('rejects impossible bounds', () => {
    expect(() => apportion(10, [1, 1], [0, 0], [3, 3])).toThrow(RangeError);
    expect(() => apportion(1, [1, 1], [1, 1], [3, 3])).toThrow(RangeError);
  });

  const positiveWeight = fc.double({ min: 0.01, max: 100, noNaN: true });
  /** Groups with bounds, and a total the bounds allow. */
  const instanceOf = (weight: fc.Arbitrary<number>) =>
    fc
      .array(fc.record({ w: weight, lo: fc.nat(5), room: fc.nat(30) }), { minLength: 1, maxLength: 12 })
      .chain((groups) => {
        const sumLo = groups.reduce((s, g) => s + g.lo, 0);
        const sumHi = groups.reduce((s, g) => s + g.lo + g.room, 0);
        return fc.tuple(fc.constant(groups), fc.integer({ min: sumLo, max: sumHi }));
      });
  const instance = instanceOf(fc.oneof(fc.constant(0), positiveWeight));

  it('always sums to the total within the bounds', () => {
    fc.assert(
      fc.property(instance, ([groups, total]) => {
        const out = apportion(
          total,
          groups.map((g) => g.w),
          groups.map((g) => g.lo),
          groups.map((g) => g.lo + g.room),
        );
        expect(out.reduce((a, b) => a + b, 0)).toBe(total);
        out.forEach((x, i) => {
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(groups[i].lo);
          expect(x).toBeLessThanOrEqual(groups[i].lo + groups[i].room);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('with bounds, every share is its bounded quota rounded down or up, the largest fractions up', () => {
    // The bounded quotas q_i = clamp(λ·w_i, lo_i, hi_i), Σ q_i = total, with λ found here by bisection.
    const quotas = (total: number, w: number[], lo: number[], hi: number[]) => {
      const at = (l: number) => w.map((wi, i) => Math.min(hi[i], Math.max(lo[i], l * wi)));
      const sumAt = (l: number) => at(l).reduce((a, b) => a + b, 0);
      let [a, b] = [0, 1];
      while (sumAt(b) < total && b < 1e12) b *= 2;
      for (let k = 0; k < 200; k++) {
        const m = (a + b) / 2;
        if (sumAt(m) < total) a = m;
        else b = m;
      }
      return at(b);
    };
    fc.assert(
      // Weighted groups only: zero-weight groups are filled by room, not by quota.
      fc.property(instanceOf(positiveWeight), ([groups, total]) => {
        const w = groups.map((g) => g.w);
        const lo = groups.map((g) => g.lo);
        const hi = groups.map((g) => g.lo + g.room);
        const out = apportion(total, w, lo, hi);
        const q = quotas(total, w, lo, hi);
        const eps = 1e-6;
        out.forEach((x, i) => expect(x >= Math.floor(q[i] + eps) && x <= Math.ceil(q[i] - eps)).toBe(true));
        const frac = q.map((qi) => qi - Math.floor(qi + eps));
        const up = out.map((x, i) => x > q[i] + eps);
        const down = out.map((x, i) => x < q[i] - eps);
        for (let i = 0; i < out.length; i++) for (let j = 0; j < out.length; j++) if (up[i] && down[j]) expect(frac[i]).toBeGreaterThanOrEqual(frac[j] - eps);
      }),
      { numRuns: 300 },
    );
  });

  it('without bounds, every share is within one of its exact quota', () => {
    fc.assert(
      fc.property(
        fc.array(positiveWeight, { minLength: 1, maxLength: 12 }),
        fc.nat(1000),
        (weights, total) => {
          const out = apportion(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0);
          out.forEach((x, i) => expect(Math.abs(x - (total * weights[i]) / sum)).toBeLessThan(1 + 1e-9));
        },
      ),
      { numRuns: 300 },
    );
  });
});
