/**
 * OR–Hillis MRMC needs a fully crossed design: every reader rates every case. A live study is not
 * crossed yet (readers are at different points), so the analysis runs on the largest crossed part:
 * readers are added in order of how many of the cases they rated, each time keeping the cases all
 * of them rated, and the reader count k with the most ratings k × cases wins (ties: more readers),
 * provided at least two cases of each truth remain. What was left out is reported.
 */
export interface CrossedSelection {
  /** Reader indexes used, ascending. */
  readers: number[];
  /** Case indexes used, ascending. */
  cases: number[];
  /** Readers with ratings in scope that were left out. */
  excludedReaders: number[];
}

/**
 * `scores` is a dense readers × cases matrix (row r at r·caseCount), NaN where reader r did not rate
 * case c; only cases with `inScope[c]` count. `truth[c]` is 1 for synthetic. Returns null when no
 * two readers share at least two cases of each truth.
 */
export function largestCrossedDesign(
  scores: Float64Array,
  readerCount: number,
  caseCount: number,
  truth: ArrayLike<number>,
  inScope: Uint8Array,
): CrossedSelection | null {
  const ratedCount = new Int32Array(readerCount);
  for (let r = 0; r < readerCount; r++) {
    const row = r * caseCount;
    let n = 0;
    for (let c = 0; c < caseCount; c++) if (inScope[c] && scores[row + c] === scores[row + c]) n++;
    ratedCount[r] = n;
  }
  const order = Array.from({ length: readerCount }, (_, r) => r)
    .filter((r) => ratedCount[r] > 0)
    .sort((a, b) => ratedCount[b] - ratedCount[a] || a - b);
  const count = new Int32Array(caseCount);
  let best: { k: number; ratings: number } | null = null;
  for (let k = 1; k <= order.length; k++) {
    const row = order[k - 1] * caseCount;
    let pos = 0;
    let neg = 0;
    for (let c = 0; c < caseCount; c++) {
      if (inScope[c] && scores[row + c] === scores[row + c]) count[c]++;
      if (count[c] === k) {
        if (truth[c]) pos++;
        else neg++;
      }
    }
    if (k < 2 || pos < 2 || neg < 2) continue;
    const ratings = k * (pos + neg);
    if (!best || ratings >= best.ratings) best = { k, ratings };
  }
  if (!best) return null;
  const chosen = order.slice(0, best.k);
  const cases: number[] = [];
  for (let c = 0; c < caseCount; c++) {
    if (!inScope[c]) continue;
    let all = true;
    for (const r of chosen) {
      const v = scores[r * caseCount + c];
      if (v !== v) {
        all = false;
        break;
      }
    }
    if (all) cases.push(c);
  }
  const used = new Set(chosen);
  return {
    readers: [...chosen].sort((a, b) => a - b),
    cases,
    excludedReaders: order.filter((r) => !used.has(r)).sort((a, b) => a - b),
  };
}
