import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clopperPearson } from './clopper-pearson';
import fixture from './fixtures/binomial.json';
import type { Alternative } from './types';
import { mismatch } from '@/tests/support/stats';

describe('clopperPearson against scipy (betaincinv, checked against proportion_ci exact)', () => {
  it('matches every reference interval, all alternatives, rel ≤ 1e-9', () => {
    const bad: string[] = [];
    type Case = { k: number; n: number; confLevel: number; alternative: string; ci: number[] };
    for (const c of fixture.binomialTest as Case[]) {
      const ci = clopperPearson(c.k, c.n, c.confLevel, c.alternative as Alternative);
      const why = mismatch(ci[0], c.ci[0]) ?? mismatch(ci[1], c.ci[1]);
      if (why) bad.push(`k=${c.k} n=${c.n} ${c.alternative} ${c.confLevel}: ${why}`);
    }
    expect(bad).toEqual([]);
  });

  it('gives [0, ·] for k = 0 and [·, 1] for k = n, including n = 1', () => {
    expect(clopperPearson(0, 1)[0]).toBe(0);
    expect(clopperPearson(1, 1)[1]).toBe(1);
    expect(clopperPearson(0, 1)[1]).toBeCloseTo(0.975, 12);
    expect(clopperPearson(1, 1)[0]).toBeCloseTo(0.025, 12);
  });

  it('solves the defining tail equations: P(X ≥ k | lower) = P(X ≤ k | upper) = (1 − level)/2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, u) => {
        const k = Math.min(n - 1, Math.max(1, Math.floor(u * n)));
        const [lo, hi] = clopperPearson(k, n, 0.9);
        expect(1 - binomialCdf(k - 1, n, lo)).toBeCloseTo(0.05, 9);
        expect(binomialCdf(k, n, hi)).toBeCloseTo(0.05, 9);
      }),
    );
  });

  it('rejects invalid input', () => {
    expect(() => clopperPearson(5, 4)).toThrow(RangeError);
    expect(() => clopperPearson(1, 4, 0)).toThrow(/confLevel/);
    expect(() => clopperPearson(1, 4, 0.95, 'up' as Alternative)).toThrow(TypeError);
  });
});
