/**
 * Smallest k in [lo, hi] with pred(k) true, for a predicate that is false…false true…true on
 * [lo, hi). hi is a sentinel taken as true and never evaluated. Starts at `hint` and gallops
 * (steps 1, 2, 4, …) before bisecting, so a search that starts next to its answer, as it does when
 * a sample-size scan moves n by one, costs a few evaluations instead of log2(n).
 * Hand-written: no installed package offers a galloping search over an implicit predicate.
 */
export function firstTrue(lo: number, hi: number, pred: (k: number) => boolean, hint = lo): number {
  let a = lo;
  let b = hi;
  let h = Math.min(Math.max(hint, lo), hi);
  if (h < hi) {
    let step = 1;
    if (pred(h)) {
      b = h;
      for (;;) {
        const t = h - step;
        if (t < a) break;
        if (!pred(t)) {
          a = t + 1;
          break;
        }
        b = h = t;
        step *= 2;
      }
    } else {
      a = h + 1;
      for (;;) {
        const t = h + step;
        if (t >= b) break;
        if (pred(t)) {
          b = t;
          break;
        }
        a = t + 1;
        h = t;
        step *= 2;
      }
    }
  }
  while (a < b) {
    const mid = a + Math.floor((b - a) / 2);
    if (pred(mid)) b = mid;
    else a = mid + 1;
  }
  return a;
}
