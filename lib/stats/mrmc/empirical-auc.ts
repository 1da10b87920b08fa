/**
 * Empirical (trapezoidal, Mann–Whitney) AUC and DeLong placement values.
 *
 * ψ(x, y) = 1 if x > y, ½ if x = y, 0 otherwise, for a truth-1 rating x and a truth-0 rating y;
 * AUC = mean ψ over all n1·n0 pairs. The placement values (DeLong et al. 1988, "structural
 * components" V10/V01) are the row and column means of ψ; every covariance estimator here is
 * built from them, so they are computed once per reader×test in O(n) (dense ranks of the ratings,
 * counts per rank) rather than by the O(n1·n0) pair loop.
 */
import { ascendingOrder } from '../ascending-order';

export interface Placements {
  /** Empirical AUC = mean of v10 = mean of v01. */
  auc: number;
  /** Per truth-1 case i: V10_i = mean_j ψ(x_i, y_j), input order. */
  v10: Float64Array;
  /** Per truth-0 case j: V01_j = mean_i ψ(x_i, y_j), input order. */
  v01: Float64Array;
}

/** Rating scales have a handful of values; past this many distinct values, ranks come from a radix sort. */
const FEW_VALUES = 32;

/**
 * Dense ranks (0 for the smallest distinct value, equal values equal ranks) of finite doubles, and the
 * number of distinct values. A few distinct values are found by a scan of a short list (no sort, no
 * Map); more fall back to a sort (the radix sort of lib/stats/ascending-order for many ratings).
 */
function denseRanks(values: Float64Array): { rank: Int32Array; distinct: number } {
  const n = values.length;
  const rank = new Int32Array(n);
  const seen = new Float64Array(FEW_VALUES);
  let d = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (d > 0 && seen[last] === v) {
      rank[i] = last;
      continue;
    }
    let k = 0;
    while (k < d && seen[k] !== v) k++;
    if (k === d) {
      if (d === FEW_VALUES) return sortedRanks(values);
      seen[d++] = v;
    }
    rank[i] = last = k;
  }
  // Slots are in order of first appearance: renumber them by value.
  const bySlot = Array.from({ length: d }, (_, k) => k).sort((a, b) => seen[a] - seen[b]);
  const slotRank = new Int32Array(d);
  bySlot.forEach((slot, r) => (slotRank[slot] = r));
  for (let i = 0; i < n; i++) rank[i] = slotRank[rank[i]];
  return { rank, distinct: d };
}

/** Below this many ratings a comparison sort beats the radix sort's fixed 4 × 2^16 counters. */
const RADIX_FROM = 16_384;

function sortedRanks(values: Float64Array): { rank: Int32Array; distinct: number } {
  const n = values.length;
  const rank = new Int32Array(n);
  if (n < RADIX_FROM) {
    const sorted = Float64Array.from(values).sort();
    let d = 0;
    for (let k = 0; k < n; k++) if (d === 0 || sorted[k] !== sorted[d - 1]) sorted[d++] = sorted[k];
    const distinct = sorted.subarray(0, d);
    for (let i = 0; i < n; i++) rank[i] = lowerBound(distinct, values[i]);
    return { rank, distinct: d };
  }
  const order = ascendingOrder(values);
  let r = -1;
  for (let k = 0; k < n; k++) {
    if (k === 0 || values[order[k]] !== values[order[k - 1]]) r++;
    rank[order[k]] = r;
  }
  return { rank, distinct: r + 1 };
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

/**
 * DeLong placement values and the empirical AUC of one reader×test (DeLong, DeLong &
 * Clarke-Pearson 1988), ties counted ½. `pos` are the truth-1 (synthetic) ratings, `neg` the
 * truth-0 (real) ratings; higher rating = more confident the case is truth 1.
 *
 * Every rating gets its dense rank among both classes' values (denseRanks); counts per rank and
 * their prefix sums are the placements: O(n) on a rating scale, one sort otherwise.
 */
export function placementValues(pos: ArrayLike<number>, neg: ArrayLike<number>): Placements {
  const n1 = pos.length;
  const n0 = neg.length;
  if (n1 === 0 || n0 === 0) throw new Error('placementValues: both truth classes need at least one rating');
  const few = fewValuePlacements(pos, neg);
  if (few) return few;
  const values = new Float64Array(n1 + n0);
  for (let i = 0; i < n1; i++) values[i] = pos[i];
  for (let j = 0; j < n0; j++) values[n1 + j] = neg[j];
  const { rank, distinct: d } = denseRanks(values);
  const posAt = new Float64Array(d);
  const negAt = new Float64Array(d);
  for (let i = 0; i < n1; i++) posAt[rank[i]]++;
  for (let j = 0; j < n0; j++) negAt[rank[n1 + j]]++;
  // Counts in half-units (2·#less + #equal) so that the AUC sum is an exact integer.
  const twiceBelowPos = new Float64Array(d);
  const twiceBelowNeg = new Float64Array(d);
  let negBelow = 0;
  let posBelow = 0;
  for (let r = 0; r < d; r++) {
    twiceBelowPos[r] = 2 * negBelow + negAt[r];
    twiceBelowNeg[r] = 2 * posBelow + posAt[r];
    negBelow += negAt[r];
    posBelow += posAt[r];
  }
  const v10 = new Float64Array(n1);
  const v01 = new Float64Array(n0);
  let twiceSum = 0;
  for (let i = 0; i < n1; i++) {
    const twice = twiceBelowPos[rank[i]];
    twiceSum += twice;
    v10[i] = twice / (2 * n0);
  }
  for (let j = 0; j < n0; j++) v01[j] = (2 * n1 - twiceBelowNeg[rank[n1 + j]]) / (2 * n1);
  return { auc: twiceSum / (2 * n1 * n0), v10, v01 };
}

/**
 * placementValues on a rating scale (at most FEW_VALUES distinct ratings), without copying the ratings
 * into one array or renumbering them: each rating's slot in a short list of the values seen, counts per
 * slot, and the slots walked in ascending value. The same sums in the same order as placementValues'
 * general path, so the same results bit for bit; null when there are more distinct ratings.
 */
function fewValuePlacements(pos: ArrayLike<number>, neg: ArrayLike<number>): Placements | null {
  const n1 = pos.length;
  const n0 = neg.length;
  const seen = new Float64Array(FEW_VALUES);
  const posAt = new Float64Array(FEW_VALUES);
  const negAt = new Float64Array(FEW_VALUES);
  const posSlot = new Uint8Array(n1);
  const negSlot = new Uint8Array(n0);
  let d = 0;
  let last = 0;
  for (let i = 0; i < n1 + n0; i++) {
    const v = i < n1 ? pos[i] : neg[i - n1];
    let k = last;
    if (d === 0 || seen[k] !== v) {
      k = 0;
      while (k < d && seen[k] !== v) k++;
      if (k === d) {
        if (d === FEW_VALUES) return null;
        seen[d++] = v;
      }
      last = k;
    }
    if (i < n1) {
      posSlot[i] = k;
      posAt[k]++;
    } else {
      negSlot[i - n1] = k;
      negAt[k]++;
    }
  }
  const ascending = Array.from({ length: d }, (_, k) => k).sort((a, b) => seen[a] - seen[b]);
  // Counts in half-units (2·#less + #equal) so that the AUC sum is an exact integer.
  const twiceBelowPos = new Float64Array(d);
  const twiceBelowNeg = new Float64Array(d);
  let negBelow = 0;
  let posBelow = 0;
  for (const k of ascending) {
    twiceBelowPos[k] = 2 * negBelow + negAt[k];
    twiceBelowNeg[k] = 2 * posBelow + posAt[k];
    negBelow += negAt[k];
    posBelow += posAt[k];
  }
  const v10 = new Float64Array(n1);
  const v01 = new Float64Array(n0);
  let twiceSum = 0;
  for (let i = 0; i < n1; i++) {
    const twice = twiceBelowPos[posSlot[i]];
    twiceSum += twice;
    v10[i] = twice / (2 * n0);
  }
  for (let j = 0; j < n0; j++) v01[j] = (2 * n1 - twiceBelowNeg[negSlot[j]]) / (2 * n1);
  return { auc: twiceSum / (2 * n1 * n0), v10, v01 };
}

/**
 * Empirical (trapezoidal) ROC AUC, i.e. the Mann–Whitney U statistic / (n1·n0) with ties ½
 * (Hanley & McNeil 1982; DeLong et al. 1988).
 */
export function empiricalAuc(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  return placementValues(pos, neg).auc;
}
