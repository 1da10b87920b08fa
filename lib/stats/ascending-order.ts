/**
 * Indices that put an array of finite doubles in ascending order (stable; −0 directly before +0),
 * by LSD radix sort on the IEEE-754 bit patterns, 16 bits a pass, skipping passes whose digit is
 * the same for every value (integer-valued scores skip most of them). Used to rank 10^6 scores
 * once for every AUC group; about 4× faster than sorting and then binary-searching each value.
 * Hand-written: no installed package sorts indices by double keys without a comparator.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const RADIX = 1 << 16;

export function ascendingOrder(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const words = new Uint32Array(Float64Array.from(values).buffer);
  const h = LITTLE_ENDIAN ? 1 : 0;
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = new Uint32Array(n);
  const counts = [new Uint32Array(RADIX), new Uint32Array(RADIX), new Uint32Array(RADIX), new Uint32Array(RADIX)];
  const [c0, c1, c2, c3] = counts;
  for (let i = 0; i < n; i++) {
    let a = words[2 * i + h];
    let b = words[2 * i + 1 - h];
    // Order-preserving map to unsigned: negatives reverse (flip all bits), positives move above them.
    if (a & 0x80000000) {
      a = ~a >>> 0;
      b = ~b >>> 0;
    } else a = (a | 0x80000000) >>> 0;
    hi[i] = a;
    lo[i] = b;
    idx[i] = i;
    c0[b & 0xffff]++;
    c1[b >>> 16]++;
    c2[a & 0xffff]++;
    c3[a >>> 16]++;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const count = counts[pass];
    const wordIsHi = pass >= 2;
    const shift = pass % 2 === 0 ? 0 : 16;
    const first = ((wordIsHi ? hi[0] : lo[0]) >>> shift) & 0xffff;
    if (n === 0 || count[first] === n) continue;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    const key = wordIsHi ? hi : lo;
    for (let i = 0; i < n; i++) {
      const pos = count[(key[i] >>> shift) & 0xffff]++;
      hi2[pos] = hi[i];
      lo2[pos] = lo[i];
      idx2[pos] = idx[i];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}
