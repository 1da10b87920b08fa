/**
 * Counting, for two reader×test cells k and l rated on the same cases, Σ_ij ψ_k(i,j)·ψ_l(i,j)
 * over all truth-1 × truth-0 case pairs — the one term of the unbiased AUC covariance that the
 * placement values cannot supply. A direct loop costs O(n1·n0) per pair of cells; this is
 * two-dimensional dominance counting (a sweep over cell k's ratings with a Fenwick tree over cell
 * l's ranks), O(n log n) per pair.
 */

/** Sort orders and dense ranks of one cell, prepared once and reused for every pair. */
export interface CellOrder {
  /** Truth-1 case indices by ascending rating. */
  posOrder: Int32Array;
  /** Truth-0 case indices by ascending rating. */
  negOrder: Int32Array;
  /** Dense rank (1-based) of each truth-1 rating among all of this cell's ratings. */
  posRank: Int32Array;
  /** Dense rank (1-based) of each truth-0 rating among all of this cell's ratings. */
  negRank: Int32Array;
  /** Number of distinct ratings in the cell. */
  levels: number;
}

/** Prepares a cell's sort orders and shared dense ranks (ties share a rank). */
export function cellOrder(pos: ArrayLike<number>, neg: ArrayLike<number>): CellOrder {
  const n1 = pos.length;
  const n0 = neg.length;
  const all = new Float64Array(n1 + n0);
  for (let i = 0; i < n1; i++) all[i] = pos[i];
  for (let j = 0; j < n0; j++) all[n1 + j] = neg[j];
  const order = Int32Array.from({ length: n1 + n0 }, (_, i) => i).sort((x, y) => all[x] - all[y]);
  const rank = new Int32Array(n1 + n0);
  let levels = 0;
  for (let p = 0; p < order.length; p++) {
    if (p === 0 || all[order[p]] !== all[order[p - 1]]) levels++;
    rank[order[p]] = levels;
  }
  const posOrder = new Int32Array(n1);
  const negOrder = new Int32Array(n0);
  let a = 0;
  let b = 0;
  for (const idx of order) {
    if (idx < n1) posOrder[a++] = idx;
    else negOrder[b++] = idx - n1;
  }
  return { posOrder, negOrder, posRank: rank.slice(0, n1), negRank: rank.slice(n1), levels };
}

/**
 * Σ_ij ψ'_k(i,j)·ψ'_l(i,j) with ψ' = 2ψ ∈ {0, 1, 2}, an exact integer. Uses
 * ψ'(x, y) = [x > y] + [x ≥ y], so the product splits into four strict/non-strict dominance
 * counts, two per sweep.
 */
export function pairedConcordance(k: CellOrder, l: CellOrder): number {
  const tree = new Int32Array(l.levels + 1);
  return sweep(k, l, tree, true) + sweep(k, l, tree, false);
}

function sweep(k: CellOrder, l: CellOrder, tree: Int32Array, strict: boolean): number {
  tree.fill(0);
  const size = tree.length - 1;
  const n0 = k.negOrder.length;
  let p = 0;
  let total = 0;
  for (let idx = 0; idx < k.posOrder.length; idx++) {
    const i = k.posOrder[idx];
    const ra = k.posRank[i];
    // Admit the truth-0 cases that cell k ranks below (strict) or not above (non-strict) case i.
    while (p < n0) {
      const j = k.negOrder[p];
      const rc = k.negRank[j];
      if (strict ? rc >= ra : rc > ra) break;
      for (let x = l.negRank[j]; x <= size; x += x & -x) tree[x]++;
      p++;
    }
    const rb = l.posRank[i];
    // Σ over admitted truth-0 cases j of [cell l ranks j below i] + [cell l ranks j not above i].
    total += prefix(tree, rb - 1) + prefix(tree, rb);
  }
  return total;
}

function prefix(tree: Int32Array, r: number): number {
  let s = 0;
  for (let x = r; x > 0; x -= x & -x) s += tree[x];
  return s;
}
