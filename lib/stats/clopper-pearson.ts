import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type { Alternative, Interval } from './types';
import { assertAlternative, assertKN, assertOpenUnit } from './validate';

/**
 * Clopper–Pearson "exact" confidence interval for a binomial proportion, from beta quantiles:
 * lower = B⁻¹(α; k, n − k + 1), upper = B⁻¹(1 − α; k + 1, n − k), with the lower bound 0 when
 * k = 0 and the upper bound 1 when k = n.
 *
 * Two-sided (default) puts α = (1 − confLevel)/2 in each tail; 'greater' gives the one-sided
 * interval [lower, 1] and 'less' gives [0, upper] with α = 1 − confLevel, as scipy's
 * `BinomTestResult.proportion_ci(method='exact')` and R `binom.test` report them.
 *
 * Reference: Clopper C.J., Pearson E.S. (1934), Biometrika 26:404–413. The bounds are the exact
 * roots of the tail equations scipy solves with brentq (scipy 1.17, `_binom_exact_conf_int`);
 * the beta quantile gives them to full precision where brentq stops at an absolute 2e-12.
 */
export function clopperPearson(
  k: number,
  n: number,
  confLevel = 0.95,
  alternative: Alternative = 'two-sided',
): Interval {
  const fn = 'clopperPearson';
  assertKN(fn, k, n);
  assertOpenUnit(fn, 'confLevel', confLevel);
  assertAlternative(fn, alternative);
  return clopperPearsonUnchecked(k, n, confLevel, alternative);
}

/** The interval without argument checks, for callers that have validated k, n and the level. */
export function clopperPearsonUnchecked(k: number, n: number, confLevel: number, alternative: Alternative): Interval {
  // Same floating-point steps as scipy, so the tail area is bit-identical to the reference's.
  const alpha = alternative === 'two-sided' ? (1 - confLevel) / 2 : 1 - confLevel;
  const lower = alternative === 'less' || k === 0 ? 0 : betaQuantile(alpha, k, n - k + 1);
  const upper = alternative === 'greater' || k === n ? 1 : betaQuantile(1 - alpha, k + 1, n - k);
  return [lower, upper];
}
