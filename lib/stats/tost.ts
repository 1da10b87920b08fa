import { cdfLe, sfGe } from './binomial-tails';
import { clopperPearsonUnchecked } from './clopper-pearson';
import type { Interval } from './types';
import { assertKN, assertNumber, assertOpenUnit } from './validate';

export interface TostOptions {
  /** Centre of the equivalence region; default 0.5 (chance). */
  p0?: number;
  /** Half-width of the equivalence region: equivalence means |p − p0| < margin. */
  margin: number;
  /** Level of each one-sided test; default 0.05. */
  alpha?: number;
}

export interface TostResult {
  /** max(pLower, pUpper): the TOST p-value. */
  pValue: number;
  /** P(X ≥ k | p0 − margin): tests H0 p ≤ p0 − margin. */
  pLower: number;
  /** P(X ≤ k | p0 + margin): tests H0 p ≥ p0 + margin. */
  pUpper: number;
  /** pValue < alpha: the proportion is within ±margin of p0 at level alpha. */
  equivalent: boolean;
  /** Clopper–Pearson interval at level 1 − 2·alpha (equivalent ⇔ it lies inside the region, up to ties). */
  ci: Interval;
}

/** Validates the TOST settings shared by `tostBinomial`, `tostPower` and `tostSampleSize`. */
export function checkTostSettings(fn: string, p0: number, margin: number, alpha: number): void {
  assertOpenUnit(fn, 'p0', p0);
  assertNumber(fn, 'margin', margin);
  if (!(margin > 0)) throw new RangeError(`${fn}: margin must be > 0 (got ${margin})`);
  if (!(p0 - margin > 0 && p0 + margin < 1)) {
    throw new RangeError(
      `${fn}: p0 ± margin must lie strictly inside (0, 1) (got p0 = ${p0}, margin = ${margin})`,
    );
  }
  assertNumber(fn, 'alpha', alpha);
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`${fn}: alpha must be in (0, 0.5) (got ${alpha})`);
}

/**
 * Exact binomial two one-sided tests (TOST) for equivalence of a proportion to p0 within ±margin:
 * pLower = P(X ≥ k | p0 − margin), pUpper = P(X ≤ k | p0 + margin), p = max of the two, and
 * equivalence is declared when p < alpha.
 *
 * Reference: Schuirmann D.J. (1987), J Pharmacokinet Biopharm 15:657–680 (TOST principle), with
 * exact binomial tails (Chow S.-C., Shao J., Wang H., Sample Size Calculations in Clinical
 * Research, 2nd ed., §4.2); interval Clopper & Pearson (1934) at level 1 − 2α.
 */
export function tostBinomial(k: number, n: number, opts: TostOptions): TostResult {
  const fn = 'tostBinomial';
  if (opts == null || typeof opts !== 'object') throw new TypeError(`${fn}: opts with a margin is required`);
  const { p0 = 0.5, margin, alpha = 0.05 } = opts;
  assertKN(fn, k, n);
  checkTostSettings(fn, p0, margin, alpha);
  return tostUnchecked(k, n, p0, margin, alpha);
}

/** TOST without argument checks, for callers that validated their settings once. */
export function tostUnchecked(k: number, n: number, p0: number, margin: number, alpha: number): TostResult {
  const pLower = sfGe(k, n, p0 - margin);
  const pUpper = cdfLe(k, n, p0 + margin);
  const pValue = Math.max(pLower, pUpper);
  return {
    pValue,
    pLower,
    pUpper,
    equivalent: pValue < alpha,
    ci: clopperPearsonUnchecked(k, n, 1 - 2 * alpha, 'two-sided'),
  };
}
