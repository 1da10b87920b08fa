/** Inner product of two equally long vectors; the workhorse of every covariance matrix here. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Every inner product of K equally long vectors (the Gram matrix, K × K row-major, symmetric), each
 * summed in the same order as `dot`, so every entry equals dot(v[k], v[l]) bit for bit. Two rows by
 * four columns of products share one pass over six vectors: with 50 readers × 10^4 cases the vectors
 * outgrow the cache, and reading each value once per several products instead of once per product is
 * what makes the DeLong covariance fast.
 */
export function gramMatrix(v: readonly Float64Array[]): Float64Array {
  const K = v.length;
  const gram = new Float64Array(K * K);
  let k = 0;
  for (; k + 1 < K; k += 2) {
    const a = v[k];
    const c = v[k + 1];
    const n = a.length;
    let l = 0;
    for (; l + 3 <= k; l += 4) {
      const b0 = v[l];
      const b1 = v[l + 1];
      const b2 = v[l + 2];
      const b3 = v[l + 3];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let i = 0; i < n; i++) {
        const x = a[i];
        const y = c[i];
        const p0 = b0[i];
        const p1 = b1[i];
        const p2 = b2[i];
        const p3 = b3[i];
        s0 += x * p0;
        s1 += x * p1;
        s2 += x * p2;
        s3 += x * p3;
        t0 += y * p0;
        t1 += y * p1;
        t2 += y * p2;
        t3 += y * p3;
      }
      gram[k * K + l] = s0;
      gram[k * K + l + 1] = s1;
      gram[k * K + l + 2] = s2;
      gram[k * K + l + 3] = s3;
      gram[(k + 1) * K + l] = t0;
      gram[(k + 1) * K + l + 1] = t1;
      gram[(k + 1) * K + l + 2] = t2;
      gram[(k + 1) * K + l + 3] = t3;
    }
    for (; l <= k + 1; l++) {
      const b = v[l];
      let s = 0;
      let t = 0;
      for (let i = 0; i < n; i++) {
        s += a[i] * b[i];
        t += c[i] * b[i];
      }
      if (l <= k) gram[k * K + l] = s;
      gram[(k + 1) * K + l] = t;
    }
  }
  if (k < K) for (let l = 0; l <= k; l++) gram[k * K + l] = dot(v[k], v[l]);
  // The upper triangle mirrors the lower.
  for (let r = 0; r < K; r++) for (let q = 0; q < r; q++) gram[q * K + r] = gram[r * K + q];
  return gram;
}
