/**
 * Streaming Mann–Whitney AUC and DeLong variance for many groups at once. Scores are fed in
 * ascending order as tie blocks (the positives and negatives of a group that share one score),
 * so one global sort serves every group of a study. Within a block every positive has the same
 * DeLong placement value V10 = (#negatives below + ½·#tied negatives)/n0, and every negative the
 * same V01 = (#positives above + ½·#tied positives)/n1; their variances are accumulated with
 * weighted Welford updates, which stay accurate for 10^6 scores where Σx² − (Σx)²/n would not.
 *
 * Reference: DeLong E.R., DeLong D.M., Clarke-Pearson D.L. (1988), Biometrics 44:837–845;
 * placement values as in Sun X., Xu W. (2014), IEEE Signal Process Lett 21:1389–1393.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Interval } from './types';

export interface AucEstimate {
  /** Mann–Whitney AUC: P(score of a positive > score of a negative) + ½·P(tie). */
  auc: number;
  /** DeLong standard error; NaN when a class has fewer than two members. */
  se: number;
  /** Wald interval auc ± z·se clipped to [0, 1]; NaN bounds when se is NaN. */
  ci: Interval;
}

/**
 * Struct-of-arrays accumulator, one slot per group: set nPos/nNeg, feed tie blocks in ascending
 * score order with addBlock, then read each group's result (see the file comment for the method).
 */
export class DeLongGroups {
  /** Positives and negatives per group; must be set before the first block. */
  readonly nPos: Float64Array;
  readonly nNeg: Float64Array;
  private readonly posBelow: Float64Array;
  private readonly negBelow: Float64Array;
  // Σ V10 numerators is a sum of halves below n0·n1 ≤ 2^53, so it is exact and the AUC loses nothing.
  private readonly sum10: Float64Array;
  private readonly cnt10: Float64Array;
  private readonly mean10: Float64Array;
  private readonly m2x10: Float64Array;
  private readonly cnt01: Float64Array;
  private readonly mean01: Float64Array;
  private readonly m2x01: Float64Array;

  constructor(groups: number) {
    this.nPos = new Float64Array(groups);
    this.nNeg = new Float64Array(groups);
    this.posBelow = new Float64Array(groups);
    this.negBelow = new Float64Array(groups);
    this.sum10 = new Float64Array(groups);
    this.cnt10 = new Float64Array(groups);
    this.mean10 = new Float64Array(groups);
    this.m2x10 = new Float64Array(groups);
    this.cnt01 = new Float64Array(groups);
    this.mean01 = new Float64Array(groups);
    this.m2x01 = new Float64Array(groups);
  }

  /** Adds one tie block of group g: `pos` positives and `neg` negatives sharing a score. */
  addBlock(g: number, pos: number, neg: number): void {
    if (pos > 0) {
      const u = this.negBelow[g] + 0.5 * neg;
      this.sum10[g] += pos * u;
      const cnt = this.cnt10[g] + pos;
      const delta = u - this.mean10[g];
      const mean = this.mean10[g] + (delta * pos) / cnt;
      this.m2x10[g] += pos * delta * (u - mean);
      this.mean10[g] = mean;
      this.cnt10[g] = cnt;
    }
    if (neg > 0) {
      const w = this.nPos[g] - this.posBelow[g] - pos + 0.5 * pos;
      const cnt = this.cnt01[g] + neg;
      const delta = w - this.mean01[g];
      const mean = this.mean01[g] + (delta * neg) / cnt;
      this.m2x01[g] += neg * delta * (w - mean);
      this.mean01[g] = mean;
      this.cnt01[g] = cnt;
    }
    this.posBelow[g] += pos;
    this.negBelow[g] += neg;
  }

  /** AUC, DeLong SE and Wald interval of group g; needs at least one positive and one negative. */
  result(g: number, confLevel: number): AucEstimate {
    const m = this.nPos[g];
    const n = this.nNeg[g];
    const auc = this.sum10[g] / (m * n);
    const s10 = this.m2x10[g] / (m - 1) / (n * n);
    const s01 = this.m2x01[g] / (n - 1) / (m * m);
    const se = m < 2 || n < 2 ? NaN : Math.sqrt(s10 / m + s01 / n);
    const z = normalQuantile(0.5 + 0.5 * confLevel, 0, 1);
    const ci: Interval = Number.isNaN(se)
      ? [NaN, NaN]
      : [Math.max(0, auc - z * se), Math.min(1, auc + z * se)];
    return { auc, se, ci };
  }
}
