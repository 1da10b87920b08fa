import { binomialPValue } from './binomial-tails';
import { clopperPearsonUnchecked } from './clopper-pearson';
import type { Alternative, Interval } from './types';
import { assertAlternative, assertKN, assertOpenUnit } from './validate';

export interface BinomialTestOptions {
  /** Proportion under the null hypothesis, strictly inside (0, 1); default 0.5 (chance). */
  p0?: number;
  /** Default 'two-sided'. */
  alternative?: Alternative;
  /** Level of the Clopper–Pearson interval; default 0.95. */
  confLevel?: number;
}

export interface BinomialTestResult {
  k: number;
  n: number;
  /** k / n. */
  estimate: number;
  pValue: number;
  /** Clopper–Pearson interval, one-sided for a one-sided alternative. */
  ci: Interval;
}

/**
 * Exact binomial test of H0: p = p0, with the semantics of R `binom.test` and scipy 1.17
 * `scipy.stats.binomtest`: 'less' → P(X ≤ k), 'greater' → P(X ≥ k), 'two-sided' → the total
 * probability of outcomes no more likely than k (P(x) ≤ P(k)·(1 + 1e-7)), capped at 1.
 * The interval is Clopper–Pearson for the same alternative (see `clopperPearson`).
 *
 * Reference: Clopper & Pearson (1934); R `stats::binom.test`; scipy `stats.binomtest`.
 */
export function binomialTest(k: number, n: number, opts: BinomialTestOptions = {}): BinomialTestResult {
  const fn = 'binomialTest';
  const { p0 = 0.5, alternative = 'two-sided', confLevel = 0.95 } = opts;
  assertKN(fn, k, n);
  assertOpenUnit(fn, 'p0', p0);
  assertAlternative(fn, alternative);
  assertOpenUnit(fn, 'confLevel', confLevel);
  return {
    k,
    n,
    estimate: k / n,
    pValue: binomialPValue(k, n, p0, alternative),
    ci: clopperPearsonUnchecked(k, n, confLevel, alternative),
  };
}
