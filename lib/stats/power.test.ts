import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialTest } from './binomial-test';
import fixture from './fixtures/power.json';
import { binomialPower, sampleSizeForPower } from './power';
import { mismatch } from '@/tests/support/stats';
import type { Alternative } from './types';

describe('binomialPower against a brute-force scipy reference (binomtest for every k)', () => {
  it(`matches ${fixture.binomialPower.length} reference cases, rel ≤ 1e-9`, () => {
    const bad: string[] = [];
    for (const c of fixture.binomialPower) {
      const opts = { p0: c.p0, alpha: c.alpha, alternative: c.alternative as Alternative };
      const why = mismatch(binomialPower(c.n, c.pTrue, opts), c.power);
      if (why) bad.push(`n=${c.n} pTrue=${c.pTrue} ${JSON.stringify(opts)}: ${why}`);
    }
    expect(bad).toEqual([]);
  });

  it('is the probability of the k that binomialTest rejects (self-consistency)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom<Alternative>('two-sided', 'greater', 'less'),
        (n, p0, pTrue, alternative) => {
          let brute = 0;
          for (let k = 0; k <= n; k++) {
            if (binomialTest(k, n, { p0, alternative }).pValue <= 0.05) {
              brute += binomialPmf(k, n, pTrue);
            }
          }
          const power = binomialPower(n, pTrue, { p0, alternative });
          expect(Math.abs(power - brute)).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects invalid input', () => {
    expect(() => binomialPower(0, 0.6)).toThrow(/n must be ≥ 1/);
    expect(() => binomialPower(10, 1.2)).toThrow(/pTrue/);
    expect(() => binomialPower(10, 0.6, { alpha: 0 })).toThrow(/alpha/);
    expect(() => binomialPower(10, 0.6, { p0: 1 })).toThrow(/p0/);
  });
});

describe('sampleSizeForPower against a scan from n = 1 in scipy', () => {
  it('finds the first n that reaches the power for every reference case', () => {
    for (const c of fixture.sampleSizeForPower) {
      const opts = { p0: c.p0, alpha: c.alpha, alternative: c.alternative as Alternative };
      expect({ ...c, n: sampleSizeForPower(c.pTrue, c.power, opts) }).toEqual(c);
    }
  });

  it('returns an n that reaches the power while no smaller n does', () => {
    const n = sampleSizeForPower(0.65, 0.8);
    expect(binomialPower(n, 0.65)).toBeGreaterThanOrEqual(0.8);
    for (let m = 1; m < n; m++) expect(binomialPower(m, 0.65)).toBeLessThan(0.8);
  });

  it('handles a large answer quickly (pTrue = 0.51: n in the tens of thousands)', () => {
    const t = performance.now();
    const n = sampleSizeForPower(0.51, 0.8);
    expect(n).toBeGreaterThan(15_000);
    expect(binomialPower(n, 0.51)).toBeGreaterThanOrEqual(0.8);
    expect(binomialPower(n - 1, 0.51)).toBeLessThan(0.8);
    expect(performance.now() - t).toBeLessThan(10_000);
  });

  it('rejects a pTrue outside the alternative and an unreachable maxN', () => {
    expect(() => sampleSizeForPower(0.5, 0.8)).toThrow(/not in the 'two-sided' alternative/);
    expect(() => sampleSizeForPower(0.4, 0.8, { alternative: 'greater' })).toThrow(RangeError);
    expect(() => sampleSizeForPower(0.6, 0.8, { alternative: 'less' })).toThrow(RangeError);
    expect(() => sampleSizeForPower(0.51, 0.8, { maxN: 1000 })).toThrow(/maxN = 1000/);
    expect(() => sampleSizeForPower(0.6, 1)).toThrow(/power/);
    expect(() => sampleSizeForPower(0.6, 0.8, { maxN: 0 })).toThrow(/maxN/);
  });
});
