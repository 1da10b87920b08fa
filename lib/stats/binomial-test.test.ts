import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialTest } from './binomial-test';
import fixture from './fixtures/binomial.json';
import type { Alternative } from './types';
import { mismatch } from '@/tests/support/stats';

interface Case {
  k: number;
  n: number;
  p0: number;
  alternative: Alternative;
  confLevel: number;
  pValue: number;
  ci: [number, number];
}
const cases = fixture.binomialTest as Case[];

describe('binomialTest against scipy.stats.binomtest', () => {
  it(`matches ${cases.length} reference cases (p-value and Clopper–Pearson interval, rel ≤ 1e-9)`, () => {
    const bad: string[] = [];
    for (const c of cases) {
      const r = binomialTest(c.k, c.n, { p0: c.p0, alternative: c.alternative, confLevel: c.confLevel });
      const where = `k=${c.k} n=${c.n} p0=${c.p0} ${c.alternative} ${c.confLevel}`;
      for (const [what, a, e] of [
        ['p', r.pValue, c.pValue],
        ['lower', r.ci[0], c.ci[0]],
        ['upper', r.ci[1], c.ci[1]],
      ] as const) {
        const why = mismatch(a, e);
        if (why) bad.push(`${where} ${what}: ${why}`);
      }
      if (r.estimate !== c.k / c.n || r.k !== c.k || r.n !== c.n) bad.push(`${where}: estimate`);
    }
    expect(bad).toEqual([]);
  });

  it('covers the edge cases the module promises', () => {
    const has = (f: (c: Case) => boolean) => cases.some(f);
    expect(has((c) => c.k === 0)).toBe(true);
    expect(has((c) => c.k === c.n && c.n > 1)).toBe(true);
    expect(has((c) => c.n === 1)).toBe(true);
    expect(has((c) => c.p0 !== 0.5)).toBe(true);
    expect(has((c) => c.n === 1_000_000)).toBe(true);
    expect(has((c) => c.pValue > 1e-300 && c.pValue < 1e-199)).toBe(true);
    expect(has((c) => c.pValue > 1e-300 && c.pValue < 1e-290)).toBe(true);
  });

  it('reproduces Park et al. (JMIR Med Inform 2021): 1781/3000, p ≈ 9.39e-25, 95% CI 0.5758–0.6113', () => {
    const r = binomialTest(1781, 3000);
    expect(r.estimate).toBeCloseTo(0.5937, 4);
    expect(Math.abs(r.pValue / 9.39e-25 - 1)).toBeLessThan(0.0005);
    expect(r.ci[0]).toBeCloseTo(0.5758, 4);
    expect(r.ci[1]).toBeCloseTo(0.6113, 4);
  });

  it('keeps tiny p-values relative (n = 10^6, far tail) and underflows only below double range', () => {
    const r = binomialTest(0, 1_000_000);
    expect(r.pValue).toBe(0);
    expect(r.ci).toEqual([0, expect.any(Number)]);
    expect(binomialTest(1_000_000, 1_000_000, { alternative: 'greater' }).ci[1]).toBe(1);
  });

  it('uses the documented defaults: p0 = 0.5, two-sided, 95%', () => {
    expect(binomialTest(7, 20)).toEqual(binomialTest(7, 20, { p0: 0.5, alternative: 'two-sided', confLevel: 0.95 }));
  });

  it('rejects invalid input with a clear error', () => {
    expect(() => binomialTest(-1, 10)).toThrow(RangeError);
    expect(() => binomialTest(11, 10)).toThrow(/k must be ≤ n/);
    expect(() => binomialTest(2.5, 10)).toThrow(/whole number/);
    expect(() => binomialTest(0, 0)).toThrow(/n must be ≥ 1/);
    expect(() => binomialTest(1, -5)).toThrow(RangeError);
    expect(() => binomialTest(NaN, 10)).toThrow(TypeError);
    expect(() => binomialTest('3' as unknown as number, 10)).toThrow(TypeError);
    expect(() => binomialTest(3, 10, { p0: 0 })).toThrow(/p0 must be strictly between 0 and 1/);
    expect(() => binomialTest(3, 10, { p0: 1 })).toThrow(RangeError);
    expect(() => binomialTest(3, 10, { confLevel: 1 })).toThrow(/confLevel/);
    expect(() => binomialTest(3, 10, { alternative: 'bigger' as Alternative })).toThrow(TypeError);
  });
});

describe('binomialTest properties', () => {
  const arb = fc
    .integer({ min: 1, max: 400 })
    .chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 0, max: n }) }));

  it('at p0 = 0.5 the two-sided p-value is min(1, 2·min(one-sided p-values))', () => {
    fc.assert(
      fc.property(arb, ({ n, k }) => {
        const two = binomialTest(k, n).pValue;
        const less = binomialTest(k, n, { alternative: 'less' }).pValue;
        const greater = binomialTest(k, n, { alternative: 'greater' }).pValue;
        const expected = Math.min(1, 2 * Math.min(less, greater));
        expect(Math.abs(two - expected)).toBeLessThanOrEqual(1e-12 * expected);
      }),
    );
  });

  it('p-values lie in [0, 1], the CI holds k/n, one-sided bounds are two-sided ones at twice the tail', () => {
    fc.assert(
      fc.property(arb, fc.double({ min: 0.01, max: 0.99, noNaN: true }), ({ n, k }, p0) => {
        const two = binomialTest(k, n, { p0, confLevel: 0.9 });
        expect(two.pValue).toBeGreaterThanOrEqual(0);
        expect(two.pValue).toBeLessThanOrEqual(1);
        expect(two.ci[0]).toBeLessThanOrEqual(k / n);
        expect(two.ci[1]).toBeGreaterThanOrEqual(k / n);
        const greater = binomialTest(k, n, { p0, alternative: 'greater', confLevel: 0.95 });
        const less = binomialTest(k, n, { p0, alternative: 'less', confLevel: 0.95 });
        expect(greater.ci[1]).toBe(1);
        expect(less.ci[0]).toBe(0);
        expect(Math.abs(greater.ci[0] - two.ci[0])).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(less.ci[1] - two.ci[1])).toBeLessThanOrEqual(1e-12);
      }),
    );
  });
});
