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

  it('rejects impossible bounds', () => {
    expect(() => apportion(10, [1, 1], [0, 0], [3, 3])).toThrow(RangeError);
    expect(() => apportion(1, [1, 1], [1, 1], [3, 3])).toThrow(RangeError);
  });

  const instance = fc
    .array(
      fc.record({ w: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 100, noNaN: true })), lo: fc.nat(5), room: fc.nat(30) }),
      { minLength: 1, maxLength: 12 },
    )
    .chain((groups) => {
      const sumLo = groups.reduce((s, g) => s + g.lo, 0);
      const sumHi = groups.reduce((s, g) => s + g.lo + g.room, 0);
      return fc.tuple(fc.constant(groups), fc.integer({ min: sumLo, max: sumHi }));
    });

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

  it('without bounds, every share is within one of its exact quota', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }),
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
