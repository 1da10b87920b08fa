import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { assertArray, assertSameLength } from './validate';

export interface TrendTestResult {
  /** Standardised trend statistic; positive when the success proportion rises with the score. */
  z: number;
  /**
   * Two-sided p-value 2·Φ(−|z|). z and p are NaN when the pooled proportion is 0 or 1 or all
   * scores coincide (no variance to test against).
   */
  pValue: number;
}

/**
 * Cochran–Armitage test for a linear trend in proportions across ordered groups, two-sided, no
 * continuity correction: with p̄ = Σx/N and s̄ = Σnᵢsᵢ/N,
 * z = Σ xᵢ(sᵢ − s̄) / √(p̄(1 − p̄)·Σ nᵢ(sᵢ − s̄)²). z² equals R `prop.trend.test`'s chi-square.
 * Centred sums are used so large scores (pixel sizes) do not cancel.
 *
 * References: Cochran W.G. (1954), Biometrics 10:417–451; Armitage P. (1955), Biometrics 11:375–386.
 */
export function cochranArmitageTrend(successes: number[], totals: number[], scores?: number[]): TrendTestResult {
  const fn = 'cochranArmitageTrend';
  assertArray(fn, 'successes', successes);
  assertArray(fn, 'totals', totals);
  assertSameLength(fn, 'successes', successes, 'totals', totals);
  const g = successes.length;
  if (g < 2) throw new RangeError(`${fn}: at least two groups are required (got ${g})`);
  if (scores !== undefined) {
    assertArray(fn, 'scores', scores);
    assertSameLength(fn, 'successes', successes, 'scores', scores);
  }
  let bigN = 0;
  let r = 0;
  let sumNS = 0;
  for (let i = 0; i < g; i++) {
    const x = successes[i];
    const n = totals[i];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`${fn}: totals[${i}] must be a whole number ≥ 0 (got ${String(n)})`);
    }
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0 || x > n) {
      throw new RangeError(`${fn}: successes[${i}] must be a whole number in [0, totals[${i}]] (got ${String(x)})`);
    }
    const s = scores ? scores[i] : i;
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new TypeError(`${fn}: scores[${i}] must be a finite number (got ${String(s)})`);
    }
    bigN += n;
    r += x;
    sumNS += n * s;
  }
  if (bigN === 0) throw new RangeError(`${fn}: totals must not all be 0`);
  const pBar = r / bigN;
  const sBar = sumNS / bigN;
  let t = 0;
  let ss = 0;
  for (let i = 0; i < g; i++) {
    const d = (scores ? scores[i] : i) - sBar;
    t += successes[i] * d;
    ss += totals[i] * d * d;
  }
  const z = t / Math.sqrt(pBar * (1 - pBar) * ss);
  return { z, pValue: 2 * normalCdf(-Math.abs(z), 0, 1) };
}
