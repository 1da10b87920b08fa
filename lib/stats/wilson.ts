import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Interval } from './types';
import { assertKN, assertOpenUnit } from './validate';

/**
 * Wilson score interval for a binomial proportion (two-sided, no continuity correction):
 * centre (2k + z²)/(2(n + z²)) ± z·√(4n·p̂·q̂ + z²)/(2(n + z²)), z = Φ⁻¹(½ + ½·confLevel); the lower
 * bound is exactly 0 when k = 0 and the upper bound exactly 1 when k = n.
 *
 * Reference: Wilson E.B. (1927), JASA 22:209–212; formulas as in Newcombe R.G. (1998), Stat Med
 * 17:857–872, method 3, and scipy 1.17 `BinomTestResult.proportion_ci(method='wilson')`.
 */
export function wilsonInterval(k: number, n: number, confLevel = 0.95): Interval {
  const fn = 'wilsonInterval';
  assertKN(fn, k, n);
  assertOpenUnit(fn, 'confLevel', confLevel);
  const p = k / n;
  const q = 1 - p;
  const z = normalQuantile(0.5 + 0.5 * confLevel, 0, 1);
  const denom = 2 * (n + z * z);
  const center = (2 * n * p + z * z) / denom;
  const delta = (z / denom) * Math.sqrt(4 * n * p * q + z * z);
  return [k === 0 ? 0 : center - delta, k === n ? 1 : center + delta];
}
