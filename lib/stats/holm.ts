import { sortedOrder } from './p-values';

/**
 * Holm's step-down adjustment (family-wise error rate): with p(1) ≤ … ≤ p(m) sorted,
 * adjusted p(i) = min(1, max_{j ≤ i} (m − j + 1)·p(j)); returned in input order.
 * Equals statsmodels `multipletests(p, method='holm')[1]`.
 *
 * Reference: Holm S. (1979), Scand J Statist 6:65–70.
 */
export function holm(pValues: number[]): number[] {
  const order = sortedOrder('holm', pValues);
  const m = order.length;
  const out = new Array<number>(m);
  let running = 0;
  for (let i = 0; i < m; i++) {
    const raw = pValues[order[i]] * (m - i);
    if (raw > running) running = raw;
    out[order[i]] = running > 1 ? 1 : running;
  }
  return out;
}
