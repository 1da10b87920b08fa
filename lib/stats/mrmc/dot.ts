/** Inner product of two equally long vectors; the workhorse of every covariance matrix here. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Every inner product of K equally long vectors (the Gram matrix, K × K row-major, symmetric), each
 * summed in the same order as `dot`, so every entry equals dot(v[k], v[l]) bit for bit. Four products
 * share each pass over v[k]: with 50 readers × 10^4 cases the vectors outgrow the cache, and reading
 * v[k] once per four products instead of once per product is what makes the DeLong covariance fast.
 */
export function gramMatrix(v: readonly Float64Array[]): Float64Array {
  const K = v.length;
  const gram = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    const a = v[k];
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
      for (let i = 0; i < n; i++) {
        const x = a[i];
        s0 += x * b0[i];
        s1 += x * b1[i];
        s2 += x * b2[i];
        s3 += x * b3[i];
      }
      gram[k * K + l] = gram[l * K + k] = s0;
      gram[k * K + l + 1] = gram[(l + 1) * K + k] = s1;
      gram[k * K + l + 2] = gram[(l + 2) * K + k] = s2;
      gram[k * K + l + 3] = gram[(l + 3) * K + k] = s3;
    }
    for (; l <= k; l++) {
      const b = v[l];
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * b[i];
      gram[k * K + l] = gram[l * K + k] = s;
    }
  }
  return gram;
}
