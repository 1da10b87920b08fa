/** Exact power and sample size of the binomial TOST (`tostBinomial`). */
import { cdfLe, sfGe } from './binomial-tails';
import { firstTrue } from './monotone-search';
import { checkMaxN, firstNWithBound, neymanPearsonPower } from './power';
import { checkTostSettings } from './tost';
import { assertClosedUnit, assertCount, assertOpenUnit } from './validate';

export interface TostPowerOptions {
  /** Centre of the equivalence region; default 0.5. */
  p0?: number;
  /** Level of each one-sided test; default 0.05. */
  alpha?: number;
}

export interface TostSampleSizeOptions extends TostPowerOptions {
  /** Largest n searched before giving up with a RangeError; default 1,000,000 (see SampleSizeOptions). */
  maxN?: number;
}

/** Outcomes kLo ≤ k ≤ kHi where `tostBinomial` declares equivalence (empty when kLo > kHi). */
function acceptance(n: number, lowP: number, highP: number, alpha: number, hint?: [number, number]): [number, number] {
  const kLo = firstTrue(0, n + 1, (k) => sfGe(k, n, lowP) < alpha, hint?.[0]);
  const kHi = firstTrue(0, n + 1, (k) => cdfLe(k, n, highP) >= alpha, hint ? hint[1] + 1 : undefined) - 1;
  return [kLo, kHi];
}

/** P(a ≤ X ≤ b), from whichever tails avoid cancellation. */
function mass(a: number, b: number, n: number, p: number): number {
  if (a > b) return 0;
  const mode = Math.floor((n + 1) * p);
  const m =
    b < mode
      ? cdfLe(b, n, p) - cdfLe(a - 1, n, p)
      : a > mode
        ? sfGe(a, n, p) - sfGe(b + 1, n, p)
        : 1 - cdfLe(a - 1, n, p) - sfGe(b + 1, n, p);
  return Math.max(0, m);
}

/**
 * Exact power of the binomial TOST (`tostBinomial`) with n trials when the true proportion is
 * pTrue: the probability of the outcomes k with max(P(X ≥ k | p0 − margin), P(X ≤ k | p0 + margin)) < alpha.
 *
 * Reference: Chow S.-C., Shao J., Wang H., Sample Size Calculations in Clinical Research (2nd ed.),
 * §4.2 (equivalence for one proportion), with exact binomial tails instead of the normal approximation.
 */
export function tostPower(n: number, pTrue: number, margin: number, opts: TostPowerOptions = {}): number {
  const fn = 'tostPower';
  const { p0 = 0.5, alpha = 0.05 } = opts ?? {};
  assertCount(fn, 'n', n, 1);
  assertClosedUnit(fn, 'pTrue', pTrue);
  checkTostSettings(fn, p0, margin, alpha);
  const [kLo, kHi] = acceptance(n, p0 - margin, p0 + margin, alpha);
  return mass(kLo, kHi, n, pTrue);
}

/**
 * Smallest n whose exact TOST power (see `tostPower`) reaches `power`; pTrue must lie strictly
 * inside (p0 − margin, p0 + margin). Power saw-tooths in n, so this is the first n that reaches it.
 * The scan starts where the sum of the two one-sided Neyman–Pearson bounds minus 1 reaches the
 * target: TOST power is exactly P(k ≥ kLo) + P(k ≤ kHi) − 1 whenever it is positive.
 *
 * Reference: Chow, Shao & Wang (2008), §4.2; Chernick & Liu (2002), Am Stat 56:149–155.
 */
export function tostSampleSize(pTrue: number, margin: number, power: number, opts: TostSampleSizeOptions = {}): number {
  const fn = 'tostSampleSize';
  const { p0 = 0.5, alpha = 0.05 } = opts ?? {};
  assertClosedUnit(fn, 'pTrue', pTrue);
  assertOpenUnit(fn, 'power', power);
  checkTostSettings(fn, p0, margin, alpha);
  const maxN = checkMaxN(fn, opts?.maxN);
  const lowP = p0 - margin;
  const highP = p0 + margin;
  if (!(pTrue > lowP && pTrue < highP)) {
    throw new RangeError(`${fn}: pTrue = ${pTrue} must lie strictly inside p0 ± margin = (${lowP}, ${highP})`);
  }
  const bound = (m: number) =>
    neymanPearsonPower(m, lowP, pTrue, alpha) + neymanPearsonPower(m, highP, pTrue, alpha) - 1;
  let n = firstNWithBound(fn, bound, power, maxN);
  let region: [number, number] | undefined;
  for (; n <= maxN; n++) {
    region = acceptance(n, lowP, highP, alpha, region);
    if (mass(region[0], region[1], n, pTrue) >= power) return n;
  }
  throw new RangeError(`${fn}: the requested power needs more than maxN = ${maxN} trials`);
}
