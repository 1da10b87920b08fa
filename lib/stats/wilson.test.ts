import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/binomial.json';
import { mismatch } from '@/tests/support/stats';
import { wilsonInterval } from './wilson';

describe('wilsonInterval against scipy proportion_ci(method="wilson")', () => {
  it('matches the reference, rel ≤ 1e-9 (exact 0 and 1 at k = 0 and k = n)', () => {
    const bad: string[] = [];
    for (const c of fixture.wilson) {
      const ci = wilsonInterval(c.k, c.n, c.confLevel);
      const why = mismatch(ci[0], c.ci[0]) ?? mismatch(ci[1], c.ci[1]);
      if (why) bad.push(`k=${c.k} n=${c.n} ${c.confLevel}: ${why}`);
    }
    expect(bad).toEqual([]);
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
  });

  it('is a sub-interval of [0, 1] around k/n, narrower at a lower level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, u) => {
        const k = Math.min(n, Math.floor(u * (n + 1)));
        const [lo, hi] = wilsonInterval(k, n);
        const [lo90, hi90] = wilsonInterval(k, n, 0.9);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(lo90);
        expect(hi).toBeGreaterThanOrEqual(hi90);
      }),
    );
  });

  it('rejects invalid input', () => {
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 1.5)).toThrow(RangeError);
  });
});
