import { sortedOrder } from './p-values';

/**
 * Benjamini–Hochberg step-up adjustment (false discovery rate, independent or positively
 * dependent tests): with p(1) ≤ … ≤ p(m) sorted, adjusted p(i) = min(1, min_{j ≥ i} p(j)·m/j);
 * returned in input order. Equals statsmodels `multipletests(p, method='fdr_bh')[1]`.
 *
 * Reference: Benjamini Y., Hochberg Y. (1995), J R Statist Soc B 57:289–300.
 */
export function benjaminiHochberg(pValues: number[]): number[] {
  const order = sortedOrder('benjaminiHochberg', pValues);
  const m = order.length;
  const out = new Array<number>(m);
  let running = Infinity;
  for (let i = m - 1; i >= 0; i--) {
    // p / (rank / m) rather than p·m / rank: statsmodels' floating-point steps.
    const raw = pValues[order[i]] / ((i + 1) / m);
    if (raw < running) running = raw;
    out[order[i]] = running > 1 ? 1 : running;
  }
  return out;
}
