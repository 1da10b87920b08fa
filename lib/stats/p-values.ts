/** Shared input handling of the multiple-comparison adjustments. */
import { assertArray } from './validate';

/** Validates a list of p-values and returns the indices that sort it ascending. */
export function sortedOrder(fn: string, pValues: unknown): Uint32Array {
  assertArray(fn, 'pValues', pValues);
  const n = pValues.length;
  for (let i = 0; i < n; i++) {
    const p = pValues[i];
    if (typeof p !== 'number' || Number.isNaN(p)) {
      throw new TypeError(`${fn}: pValues[${i}] must be a number (got ${String(p)})`);
    }
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${fn}: pValues[${i}] must be in [0, 1] (got ${p})`);
  }
  const ps = pValues as number[];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Tied p-values end with equal adjusted values in both procedures, so tie order is immaterial.
  order.sort((a, b) => ps[a] - ps[b]);
  return order;
}
