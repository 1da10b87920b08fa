import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/agreement.json';
import { cohenKappa, fleissKappa } from './kappa';
import { mismatch } from '@/tests/support/stats';

describe('cohenKappa against scikit-learn cohen_kappa_score (formula in fixtures/reference.py)', () => {
  it('matches every reference case', () => {
    for (const c of fixture.cohen) {
      const r = cohenKappa(c.a, c.b);
      expect(mismatch(r.kappa, c.kappa, { abs: 1e-14 })).toBeNull();
      expect(mismatch(r.observedAgreement, c.observedAgreement)).toBeNull();
      expect(mismatch(r.expectedAgreement, c.expectedAgreement)).toBeNull();
      expect(r.n).toBe(c.n);
    }
  });

  it('is symmetric in the two raters and 1 for identical ratings with two or more categories', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('a', 'b', 'c')), {
          minLength: 1,
          maxLength: 60,
        }),
        (pairs) => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          const ab = cohenKappa(a, b).kappa;
          const ba = cohenKappa(b, a).kappa;
          if (Number.isNaN(ab)) expect(ba).toBeNaN();
          else expect(Math.abs(ab - ba)).toBeLessThanOrEqual(1e-12);
          if (new Set(a).size > 1) expect(cohenKappa(a, a).kappa).toBe(1);
        },
      ),
    );
  });

  it('treats 1 and "1" as different categories and rejects bad input', () => {
    expect(cohenKappa([1, '1'], [1, '1']).kappa).toBe(1);
    expect(() => cohenKappa(['a'], ['a', 'b'])).toThrow(/same length/);
    expect(() => cohenKappa([], [])).toThrow(RangeError);
    expect(() => cohenKappa([NaN], [1])).toThrow(TypeError);
  });
});

describe('fleissKappa against statsmodels fleiss_kappa + Fleiss–Nee–Landis (1979) SE', () => {
  it('matches every reference table', () => {
    for (const c of fixture.fleiss) {
      const r = fleissKappa(c.counts);
      expect(mismatch(r.kappa, c.kappa, { abs: 1e-14 })).toBeNull();
      expect(mismatch(r.se, c.se)).toBeNull();
      expect(mismatch(r.z, c.z, { abs: 1e-12 })).toBeNull();
      expect(mismatch(r.pValue, c.pValue)).toBeNull();
    }
  });

  it('reproduces the published worked example (10 subjects, 14 raters): κ = 0.210', () => {
    expect(fleissKappa(fixture.fleiss[0].counts).kappa).toBeCloseTo(0.21, 3);
  });

  it('is NaN when every rating is the same category, and rejects malformed tables', () => {
    expect(fleissKappa([[3, 0], [3, 0]]).kappa).toBeNaN();
    expect(() => fleissKappa([])).toThrow(RangeError);
    expect(() => fleissKappa([[3]])).toThrow(/two categories/);
    expect(() => fleissKappa([[2, 1], [1, 1]])).toThrow(/same number of ratings/);
    expect(() => fleissKappa([[1, 0], [0, 1]])).toThrow(/two raters/);
    expect(() => fleissKappa([[1.5, 0.5]])).toThrow(/whole number/);
    expect(() => fleissKappa([[2, 1], [3]])).toThrow(/categories/);
  });
});
