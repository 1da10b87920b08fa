import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { assertNumber } from './validate';

/** The Lan–DeMets spending families offered for interim looks. */
export type SpendingFamily = 'obrien-fleming' | 'pocock';

export const SPENDING_FAMILIES: readonly SpendingFamily[] = ['obrien-fleming', 'pocock'];

/**
 * Cumulative type I error α*(t) spent by information fraction t ∈ [0, 1] (α*(0) = 0, α*(1) = α):
 *   O'Brien–Fleming type  α*(t) = 2 − 2 Φ(z_{1−α/2} / √t)
 *   Pocock type           α*(t) = α ln(1 + (e − 1) t)
 * α is the one-sided level; a two-sided design spends α/2 on each side (see groupSequentialDesign).
 *
 * Reference: Lan K.K.G. & DeMets D.L. (1983), Biometrika 70:659–663; Jennison & Turnbull (2000),
 * Group Sequential Methods, §7.2; identical to rpact's typeOfDesign "asOF" and "asP".
 */
export function alphaSpent(family: SpendingFamily, alpha: number, t: number): number {
  const fn = 'alphaSpent';
  assertNumber(fn, 'alpha', alpha);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${fn}: alpha must be in (0, 1) (got ${alpha})`);
  assertNumber(fn, 't', t);
  if (!(t >= 0 && t <= 1)) throw new RangeError(`${fn}: t must be in [0, 1] (got ${t})`);
  if (t === 0) return 0;
  if (t === 1) return alpha;
  switch (family) {
    case 'obrien-fleming':
      return 2 - 2 * normalCdf(normalQuantile(1 - alpha / 2, 0, 1) / Math.sqrt(t), 0, 1);
    case 'pocock':
      return alpha * Math.log(1 + (Math.E - 1) * t);
    default:
      throw new TypeError(`${fn}: family must be 'obrien-fleming' or 'pocock' (got ${String(family)})`);
  }
}
