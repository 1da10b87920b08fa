/**
 * Binomial tail probabilities and the two-sided exact p-value, shared by the binomial test, TOST
 * and the power calculations. Tails come from @stdlib's binomial CDF (a port of Boost's
 * regularised incomplete beta), never from summing pmf terms, so n = 10^6 costs the same as n = 10
 * and tails near 1e-300 keep their relative precision.
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import binomialLogpmf from '@stdlib/stats-base-dists-binomial-logpmf';
import type { Alternative } from './types';

/** P(X ≤ k) for X ~ Bin(n, p) (regularised incomplete beta, via @stdlib); k may lie outside [0, n]. */
export function cdfLe(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return binomialCdf(k, n, p);
}

/**
 * P(X ≥ k) for X ~ Bin(n, p). Computed as P(n − X ≤ n − k) with n − X ~ Bin(n, 1 − p), because
 * 1 − cdf would cancel to 0 for upper tails below ~1e-16.
 */
export function sfGe(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return binomialCdf(n - k, n, 1 - p);
}

/** log P(X = k). */
export function logPmf(k: number, n: number, p: number): number {
  return binomialLogpmf(k, n, p);
}

/** log(1 + 1e-7): scipy's and R's relative tolerance for "as or less likely than the observed k". */
const LOG_RERR = Math.log1p(1e-7);

/**
 * Two-sided exact binomial p-value with the rule of R `binom.test` / scipy `binomtest`: the
 * probability of all outcomes x with P(x) ≤ P(k)·(1 + 1e-7). This ports scipy 1.17's algorithm
 * (binary search for the cut-off on the far side of the mode, then two CDF tails) step for step,
 * including its search, so boundary cases pick the same outcomes; the pmf comparisons run on
 * log-probabilities because the linear pmf underflows for large n while the tails do not.
 */
export function twoSidedPValue(k: number, n: number, p: number): number {
  const np = p * n;
  if (k === np) return 1;
  const lt = logPmf(k, n, p) + LOG_RERR;
  let pval: number;
  if (k < np) {
    // Far side is above the mode, where the pmf decreases: find the last x with P(x) ≥ threshold.
    let lo = Math.ceil(np);
    let hi = n;
    let ix = NaN;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const v = logPmf(mid, n, p);
      if (v > lt) lo = mid + 1;
      else if (v < lt) hi = mid - 1;
      else {
        ix = mid;
        break;
      }
    }
    if (Number.isNaN(ix)) ix = logPmf(lo, n, p) >= lt ? lo : lo - 1;
    const y = n - ix + (logPmf(ix, n, p) === lt ? 1 : 0);
    pval = cdfLe(k, n, p) + sfGe(n - y + 1, n, p);
  } else {
    // Far side is below the mode, where the pmf increases: find the last x with P(x) ≤ threshold.
    let lo = 0;
    let hi = Math.floor(np);
    let ix = NaN;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const v = logPmf(mid, n, p);
      if (v < lt) lo = mid + 1;
      else if (v > lt) hi = mid - 1;
      else {
        ix = mid;
        break;
      }
    }
    if (Number.isNaN(ix)) ix = logPmf(lo, n, p) <= lt ? lo : lo - 1;
    pval = cdfLe(ix, n, p) + sfGe(k, n, p);
  }
  return Math.min(1, pval);
}

/**
 * Exact binomial p-value of k successes in n trials under p, for the given alternative, with the
 * conventions of R `binom.test` / scipy `binomtest` ('less' P(X ≤ k), 'greater' P(X ≥ k)).
 */
export function binomialPValue(k: number, n: number, p: number, alternative: Alternative): number {
  if (alternative === 'less') return cdfLe(k, n, p);
  if (alternative === 'greater') return sfGe(k, n, p);
  return twoSidedPValue(k, n, p);
}
