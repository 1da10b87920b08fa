/**
 * Brute-force references shared by the tests (not used by the engine): slow, obviously correct
 * enumerations that the fast methods are compared against on small inputs.
 */

/** Every per-block split allowed by the rule: floor/ceil of each block's and each prefix's share. */
export function allowedPlans(sizes: readonly number[], S: number): number[][] {
  const N = sizes.reduce((a, b) => a + b, 0);
  const out: number[][] = [];
  const go = (b: number, prefix: number, end: number, acc: number[]) => {
    if (b === sizes.length) {
      if (prefix === S) out.push([...acc]);
      return;
    }
    const n = sizes[b];
    for (let s = Math.floor((S * n) / N); s <= Math.ceil((S * n) / N); s++) {
      const p = prefix + s;
      if (s > n || p < Math.floor((S * (end + n)) / N) || p > Math.ceil((S * (end + n)) / N)) continue;
      go(b + 1, p, end + n, [...acc, s]);
    }
  };
  go(0, 0, 0, []);
  return out;
}
