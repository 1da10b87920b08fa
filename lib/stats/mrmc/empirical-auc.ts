/**
 * Empirical (trapezoidal, Mann–Whitney) AUC and DeLong placement values.
 *
 * ψ(x, y) = 1 if x > y, ½ if x = y, 0 otherwise, for a truth-1 rating x and a truth-0 rating y;
 * AUC = mean ψ over all n1·n0 pairs. The placement values (DeLong et al. 1988, "structural
 * components" V10/V01) are the row and column means of ψ; every covariance estimator here is
 * built from them, so they are computed once per reader×test by sorting, in O(n log n) rather
 * than by the O(n1·n0) pair loop.
 */

export interface Placements {
  /** Empirical AUC = mean of v10 = mean of v01. */
  auc: number;
  /** Per truth-1 case i: V10_i = mean_j ψ(x_i, y_j), input order. */
  v10: Float64Array;
  /** Per truth-0 case j: V01_j = mean_i ψ(x_i, y_j), input order. */
  v01: Float64Array;
}

/** First index with sorted[index] >= v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[index] > v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * DeLong placement values and the empirical AUC of one reader×test (DeLong, DeLong &
 * Clarke-Pearson 1988), ties counted ½. `pos` are the truth-1 (synthetic) ratings, `neg` the
 * truth-0 (real) ratings; higher rating = more confident the case is truth 1.
 */
export function placementValues(pos: ArrayLike<number>, neg: ArrayLike<number>): Placements {
  const n1 = pos.length;
  const n0 = neg.length;
  if (n1 === 0 || n0 === 0) throw new Error('placementValues: both truth classes need at least one rating');
  const sortedPos = Float64Array.from(pos).sort();
  const sortedNeg = Float64Array.from(neg).sort();
  const v10 = new Float64Array(n1);
  const v01 = new Float64Array(n0);
  // Counts are kept in half-units (2·#less + #equal) so that the AUC sum is an exact integer.
  // Rating scales repeat a few values many times: each distinct value is searched once.
  let twiceSum = 0;
  const twiceBelowPos = new Map<number, number>();
  for (let i = 0; i < n1; i++) {
    let twice = twiceBelowPos.get(pos[i]);
    if (twice === undefined) {
      twice = lowerBound(sortedNeg, pos[i]) + upperBound(sortedNeg, pos[i]);
      twiceBelowPos.set(pos[i], twice);
    }
    twiceSum += twice;
    v10[i] = twice / (2 * n0);
  }
  const twiceBelowNeg = new Map<number, number>();
  for (let j = 0; j < n0; j++) {
    let twice = twiceBelowNeg.get(neg[j]);
    if (twice === undefined) {
      twice = lowerBound(sortedPos, neg[j]) + upperBound(sortedPos, neg[j]);
      twiceBelowNeg.set(neg[j], twice);
    }
    v01[j] = (2 * n1 - twice) / (2 * n1);
  }
  return { auc: twiceSum / (2 * n1 * n0), v10, v01 };
}

/**
 * Empirical (trapezoidal) ROC AUC, i.e. the Mann–Whitney U statistic / (n1·n0) with ties ½
 * (Hanley & McNeil 1982; DeLong et al. 1988).
 */
export function empiricalAuc(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  return placementValues(pos, neg).auc;
}
