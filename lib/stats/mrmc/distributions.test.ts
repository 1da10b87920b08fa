import { describe, expect, it } from 'vitest';
import { fUpperP, tQuantile, tTwoSidedP } from './distributions';
import { closeTo } from '@/tests/support/mrmc';

// Reference values from scipy.stats (t.ppf, t.sf, f.sf, norm.sf, chi2.sf).
const near = (actual: number, expected: number, rel = 1e-10) =>
  expect(closeTo(actual, expected, rel), `${actual} vs ${expected}`).toBe(true);

describe('t and F wrappers', () => {
  it('match scipy at fractional df', () => {
    near(tQuantile(0.975, 15.25967), 2.128294850018532);
    near(tQuantile(0.95, 0.7), 13.587121347511157, 1e-9);
    near(tTwoSidedP(3, 12.5), 0.010632811509896659);
    near(tTwoSidedP(-9, 4.5), 0.0004811529471258799);
    near(fUpperP(4.2, 3, 17.3), 0.021097669292974845);
  });

  it('keep small F p-values accurate (no 1 − cdf cancellation)', () => {
    near(fUpperP(200, 2, 30), 4.516395719298497e-18, 1e-8);
  });

  it('F on 1 df equals the two-sided t test', () => {
    near(fUpperP(4.456319, 1, 15.25967), tTwoSidedP(Math.sqrt(4.456319), 15.25967), 1e-14);
  });

  it('use the normal / χ² limits for infinite or astronomically large df', () => {
    near(tQuantile(0.975, Infinity), 1.959963984540054);
    near(tTwoSidedP(3, Infinity), 0.0026997960632601866);
    near(fUpperP(4, 1, Infinity), 0.04550026389635839);
    near(fUpperP(4, 3, Infinity), 0.007383160505359769);
    near(fUpperP(4, 3, 1e12), 0.007383160505585859, 1e-9);
  });

  it('handle the edges', () => {
    expect(tTwoSidedP(Infinity, 5)).toBe(0);
    expect(tTwoSidedP(0, 5)).toBe(1);
    expect(fUpperP(Infinity, 2, 5)).toBe(0);
    expect(fUpperP(0, 2, 5)).toBe(1);
    expect(tQuantile(0.975, NaN)).toBeNaN();
    expect(tTwoSidedP(1, 0)).toBeNaN();
    expect(fUpperP(NaN, 1, 5)).toBeNaN();
  });
});
