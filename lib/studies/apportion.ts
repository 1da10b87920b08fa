/**
 * Splitting a whole number of items over groups in proportion to weights, within per-group bounds
 * (how many images each stratum contributes, how many repeats each class gets).
 *
 * Method: Hamilton's largest-remainder method with bounds. The real-valued quota of group i is
 * clamp(λ·w_i, lo_i, hi_i), with λ chosen so the quotas sum to the total; every group then gets
 * floor(quota) and the leftover units go to the largest fractional parts (ties: lower index).
 * So every share is within one unit of its bounded proportional quota, and the result is
 * deterministic. Groups of weight 0 only receive units (by spare room) once every weighted group
 * is full.
 */

/**
 * @param total   whole units to hand out
 * @param weights non-negative weights, one per group
 * @param lo      per-group minimum (default 0)
 * @param hi      per-group maximum (default unbounded)
 * @throws RangeError when the bounds cannot add up to `total`
 */
export function apportion(
  total: number,
  weights: readonly number[],
  lo: readonly number[] = weights.map(() => 0),
  hi: readonly number[] = weights.map(() => Number.POSITIVE_INFINITY),
): number[] {
  const n = weights.length;
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`apportion: bad total ${total}`);
  if (lo.length !== n || hi.length !== n) throw new RangeError('apportion: bounds must match weights');
  for (let i = 0; i < n; i++) {
    if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) throw new RangeError('apportion: bad weight');
    if (!Number.isInteger(lo[i]) || lo[i] < 0 || lo[i] > hi[i]) throw new RangeError('apportion: bad bounds');
  }
  const sumLo = sum(lo);
  const sumHi = sum(hi);
  if (total < sumLo || total > sumHi) {
    throw new RangeError(`apportion: cannot split ${total} within bounds summing to [${sumLo}, ${sumHi}]`);
  }

  const weighted = weights.map((w) => w > 0);
  const weightedCapacity = sum(hi.map((h, i) => (weighted[i] ? h : lo[i])));
  let quotas: number[];
  if (total === weightedCapacity) {
    quotas = hi.map((h, i) => (weighted[i] ? h : lo[i]));
  } else if (total > weightedCapacity) {
    // Weighted groups are all full; spread the rest over the zero-weight groups by spare room.
    const room = hi.map((h, i) => (weighted[i] ? 0 : h - lo[i]));
    const rest = apportion(
      total - weightedCapacity,
      room.map((r) => (Number.isFinite(r) ? r : 1)),
      room.map(() => 0),
      room,
    );
    quotas = hi.map((h, i) => (weighted[i] ? h : lo[i] + rest[i]));
  } else {
    const lambda = solveLambda(total, weights, lo, hi);
    quotas = weights.map((w, i) => clamp(lambda * w, lo[i], hi[i]));
  }
  return roundQuotas(total, quotas, lo, hi);
}

/** λ with Σ clamp(λ·w_i, lo_i, hi_i) = total; the sum is piecewise linear and non-decreasing in λ. */
function solveLambda(total: number, w: readonly number[], lo: readonly number[], hi: readonly number[]): number {
  const at = (lambda: number) => sum(w.map((wi, i) => clamp(lambda * wi, lo[i], hi[i])));
  const breaks = new Set<number>([0]);
  w.forEach((wi, i) => {
    if (wi > 0) {
      breaks.add(lo[i] / wi);
      if (Number.isFinite(hi[i])) breaks.add(hi[i] / wi);
    }
  });
  const points = [...breaks].sort((a, b) => a - b);
  // Last breakpoint whose sum does not exceed the total; the answer lies on the segment after it.
  let a = 0;
  let b = points.length - 1;
  while (a < b) {
    const mid = (a + b + 1) >> 1;
    if (at(points[mid]) <= total) a = mid;
    else b = mid - 1;
  }
  const left = points[a];
  // On the segment, only groups strictly between their bounds grow, at rate w_i. Compared by breakpoint, not by
  // left·w_i against the bound: (3 / 47) · 47 is 2.9999999999999996, which would leave out the group whose lower
  // bound starts the segment and give a λ whose quotas do not add up to the total.
  let slope = 0;
  w.forEach((wi, i) => {
    if (wi > 0 && lo[i] / wi <= left && left < hi[i] / wi) slope += wi;
  });
  return slope > 0 ? left + (total - at(left)) / slope : left;
}

/** floor of each quota, then the leftover units to the largest fractional parts. */
function roundQuotas(total: number, quotas: number[], lo: readonly number[], hi: readonly number[]): number[] {
  const out = quotas.map((q, i) => clamp(Math.floor(q + 1e-9), lo[i], hi[i]));
  const frac = quotas.map((q, i) => q - out[i]);
  let left = total - sum(out);
  // Float error can leave the sum a unit off; the loops absorb it while keeping the bounds.
  const order = quotas.map((_, i) => i).sort((x, y) => frac[y] - frac[x] || x - y);
  while (left > 0) {
    const before = left;
    for (const i of order) if (left > 0 && out[i] < hi[i]) (out[i]++, left--);
    if (left === before) throw new RangeError('apportion: no room left'); // unreachable given the checks
  }
  while (left < 0) {
    const before = left;
    for (const i of [...order].reverse()) if (left < 0 && out[i] > lo[i]) (out[i]--, left++);
    if (left === before) throw new RangeError('apportion: nothing to take back');
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
