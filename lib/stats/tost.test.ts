import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/binomial.json';
import { mismatch } from '@/tests/support/stats';
import { tostBinomial } from './tost';

describe('tostBinomial against scipy binom.sf / binom.cdf', () => {
  it(`matches ${fixture.tost.length} reference cases, rel ≤ 1e-9`, () => {
    const bad: string[] = [];
    for (const c of fixture.tost) {
      const r = tostBinomial(c.k, c.n, { p0: c.p0, margin: c.margin, alpha: c.alpha });
      const where = `k=${c.k} n=${c.n} p0=${c.p0} margin=${c.margin} alpha=${c.alpha}`;
      const why =
        mismatch(r.pLower, c.pLower) ??
        mismatch(r.pUpper, c.pUpper) ??
        mismatch(r.pValue, c.pValue) ??
        mismatch(r.ci[0], c.ci[0]) ??
        mismatch(r.ci[1], c.ci[1]) ??
        (r.equivalent === c.equivalent ? null : `equivalent ${r.equivalent}`);
      if (why) bad.push(`${where}: ${why}`);
    }
    expect(bad).toEqual([]);
    expect(fixture.tost.some((c) => c.equivalent)).toBe(true);
    expect(fixture.tost.some((c) => !c.equivalent)).toBe(true);
  });

  it('declares equivalence exactly when the 1 − 2α Clopper–Pearson interval lies inside p0 ± margin', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.05, 0.1, 0.2),
        fc.constantFrom(0.05, 0.025),
        (n, u, margin, alpha) => {
          const k = Math.min(n, Math.floor(u * (n + 1)));
          const r = tostBinomial(k, n, { margin, alpha });
          expect(r.equivalent).toBe(r.ci[0] > 0.5 - margin && r.ci[1] < 0.5 + margin);
        },
      ),
    );
  });

  it('rejects invalid settings', () => {
    expect(() => tostBinomial(5, 10, { margin: 0 })).toThrow(/margin must be > 0/);
    expect(() => tostBinomial(5, 10, { margin: 0.5 })).toThrow(/strictly inside/);
    expect(() => tostBinomial(5, 10, { p0: 0.9, margin: 0.1 })).toThrow(RangeError);
    expect(() => tostBinomial(5, 10, { margin: 0.1, alpha: 0.5 })).toThrow(/alpha/);
    expect(() => tostBinomial(5, 10, undefined as never)).toThrow(TypeError);
    expect(() => tostBinomial(11, 10, { margin: 0.1 })).toThrow(RangeError);
  });
});
