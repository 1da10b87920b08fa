/**
 * Exact power and sample size of the binomial test (`binomialTest`) and shared machinery for the
 * TOST counterparts in tost-power.ts.
 */
import { cdfLe, logPmf, sfGe, twoSidedPValue } from './binomial-tails';
import { firstTrue } from './monotone-search';
import type { Alternative } from './types';
import { assertAlternative, assertClosedUnit, assertCount, assertOpenUnit } from './validate';

export interface PowerOptions {
  /** Null proportion; default 0.5. */
  p0?: number;
  /** Test level; default 0.05. */
  alpha?: number;
  /** Default 'two-sided'. */
  alternative?: Alternative;
}

export interface SampleSizeOptions extends PowerOptions {
  /**
   * Largest n searched before giving up with a RangeError; default 1,000,000. The scan costs
   * roughly 10–100 µs per n, so raising it trades time for reach.
   */
  maxN?: number;
}

/** Rejection region {k ≤ kL} ∪ {k ≥ kU}; kL = −1 / kU = n + 1 when that side is empty. */
export interface Region {
  kL: number;
  kU: number;
}

/**
 * Rejection region of the exact test at level alpha: every k whose p-value is ≤ alpha. The
 * p-value is monotone on each side of p0·n (the two-sided rule compares pmf values, which rise
 * towards the mode), so each side is an interval found by search; `hint` is a previous region.
 */
export function rejectionRegion(n: number, p0: number, alpha: number, alt: Alternative, hint?: Region): Region {
  if (alt === 'greater') {
    return { kL: -1, kU: firstTrue(0, n + 1, (k) => sfGe(k, n, p0) <= alpha, hint?.kU) };
  }
  if (alt === 'less') {
    return { kL: firstTrue(0, n + 1, (k) => cdfLe(k, n, p0) > alpha, hint ? hint.kL + 1 : 0) - 1, kU: n + 1 };
  }
  const np = p0 * n;
  const leftEnd = Math.ceil(np); // first k not below p0·n
  const rightStart = Math.floor(np) + 1; // first k above p0·n
  const kL = firstTrue(0, leftEnd, (k) => twoSidedPValue(k, n, p0) > alpha, hint ? hint.kL + 1 : 0) - 1;
  const kU = firstTrue(rightStart, n + 1, (k) => twoSidedPValue(k, n, p0) <= alpha, hint ? hint.kU : n + 1);
  return { kL, kU };
}

/** Validates the options of the binomial power functions and fills in their defaults. */
export function checkPowerOptions(fn: string, opts: PowerOptions): Required<PowerOptions> {
  const { p0 = 0.5, alpha = 0.05, alternative = 'two-sided' } = opts ?? {};
  assertOpenUnit(fn, 'p0', p0);
  assertOpenUnit(fn, 'alpha', alpha);
  assertAlternative(fn, alternative);
  return { p0, alpha, alternative };
}

/**
 * Exact power of the exact binomial test (`binomialTest`, same two-sided rule) at level alpha:
 * the probability under pTrue of the outcomes whose p-value is ≤ alpha, summed as two CDF tails.
 *
 * Reference: Chernick M.R., Liu C.Y. (2002), The saw-toothed behavior of power versus sample size
 * and software solutions: single binomial proportion using exact methods, Am Stat 56:149–155.
 */
export function binomialPower(n: number, pTrue: number, opts: PowerOptions = {}): number {
  const fn = 'binomialPower';
  assertCount(fn, 'n', n, 1);
  assertClosedUnit(fn, 'pTrue', pTrue);
  const { p0, alpha, alternative } = checkPowerOptions(fn, opts);
  const r = rejectionRegion(n, p0, alpha, alternative);
  return cdfLe(r.kL, n, pTrue) + sfGe(r.kU, n, pTrue);
}

/**
 * Power of the most powerful (randomised, Neyman–Pearson) level-alpha test of p = p0 against the
 * simple alternative p = p1 with n trials. No level-alpha test beats it, and it never decreases
 * with n (the test at n + 1 may ignore one trial), so it bounds the first n worth checking.
 */
export function neymanPearsonPower(n: number, p0: number, p1: number, alpha: number): number {
  if (p1 === p0) return alpha;
  if (p1 > p0) {
    // Reject for X > c, and with probability γ at X = c.
    const c = firstTrue(0, n, (k) => sfGe(k + 1, n, p0) <= alpha);
    const gamma = Math.min(1, Math.max(0, (alpha - sfGe(c + 1, n, p0)) / Math.exp(logPmf(c, n, p0))));
    return sfGe(c + 1, n, p1) + gamma * Math.exp(logPmf(c, n, p1));
  }
  const c = firstTrue(0, n, (k) => cdfLe(k, n, p0) > alpha);
  const gamma = Math.min(1, Math.max(0, (alpha - cdfLe(c - 1, n, p0)) / Math.exp(logPmf(c, n, p0))));
  return cdfLe(c - 1, n, p1) + gamma * Math.exp(logPmf(c, n, p1));
}

/** Absorbs rounding in a bound that is exact for non-randomised tests, so the scan never starts late. */
const BOUND_SLACK = 1e-9;

/**
 * Smallest n ≥ 1 with bound(n) ≥ target for a non-decreasing bound, by doubling then bisection;
 * throws when even maxN falls short.
 */
export function firstNWithBound(fn: string, bound: (n: number) => number, target: number, maxN: number): number {
  const reaches = (n: number) => bound(n) >= target - BOUND_SLACK;
  if (!reaches(maxN)) {
    throw new RangeError(`${fn}: the requested power needs more than maxN = ${maxN} trials`);
  }
  let hi = 1;
  while (hi < maxN && !reaches(hi)) hi = Math.min(maxN, hi * 2);
  return firstTrue(Math.max(1, Math.floor(hi / 2)), hi, reaches);
}

/** Validates the search limit of the sample-size functions (default 1,000,000). */
export function checkMaxN(fn: string, maxN: unknown): number {
  const value = maxN ?? 1_000_000;
  assertCount(fn, 'maxN', value, 1);
  return value;
}

/**
 * Smallest n whose exact power (see `binomialPower`) reaches `power`. Exact power saw-tooths in n,
 * so this is the first n that reaches it, not a point after which it always stays above. The scan
 * starts at the first n where the Neyman–Pearson bound reaches the target (no smaller n can) and
 * reuses the previous rejection region as the starting point of each search.
 *
 * Reference: Chernick & Liu (2002), Am Stat 56:149–155.
 */
export function sampleSizeForPower(pTrue: number, power: number, opts: SampleSizeOptions = {}): number {
  const fn = 'sampleSizeForPower';
  assertClosedUnit(fn, 'pTrue', pTrue);
  assertOpenUnit(fn, 'power', power);
  const { p0, alpha, alternative } = checkPowerOptions(fn, opts);
  const maxN = checkMaxN(fn, opts?.maxN);
  const wrongSide =
    alternative === 'two-sided' ? pTrue === p0 : alternative === 'greater' ? pTrue <= p0 : pTrue >= p0;
  if (wrongSide) {
    throw new RangeError(`${fn}: pTrue = ${pTrue} is not in the '${alternative}' alternative to p0 = ${p0}`);
  }
  let n = firstNWithBound(fn, (m) => neymanPearsonPower(m, p0, pTrue, alpha), power, maxN);
  let region: Region | undefined;
  for (; n <= maxN; n++) {
    region = rejectionRegion(n, p0, alpha, alternative, region);
    if (cdfLe(region.kL, n, pTrue) + sfGe(region.kU, n, pTrue) >= power) return n;
  }
  throw new RangeError(`${fn}: the requested power needs more than maxN = ${maxN} trials`);
}
