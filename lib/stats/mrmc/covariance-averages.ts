/**
 * Obuchowski–Rockette averages of an AUC covariance matrix (Obuchowski & Rockette 1995;
 * Hillis 2007): error variance = mean variance; Cov1 = mean covariance of the same reader in
 * different tests; Cov2 = different readers, same test; Cov3 = different readers and tests.
 * `cov` is K×K with cell k = test·nReaders + reader. Cov1 and Cov3 are undefined for one test.
 */
export function orCovarianceAverages(
  cov: readonly (readonly number[])[],
  nTests: number,
  nReaders: number,
): { error: number; cov1?: number; cov2: number; cov3?: number } {
  const K = nTests * nReaders;
  if (cov.length !== K) throw new Error(`orCovarianceAverages: expected a ${K}×${K} matrix, got ${cov.length} rows`);
  const sums = [0, 0, 0, 0];
  const counts = [0, 0, 0, 0];
  for (let k = 0; k < K; k++) {
    if (cov[k].length !== K) throw new Error(`orCovarianceAverages: row ${k} has ${cov[k].length} entries, expected ${K}`);
    for (let l = 0; l < K; l++) {
      const sameTest = Math.floor(k / nReaders) === Math.floor(l / nReaders);
      const sameReader = k % nReaders === l % nReaders;
      // 0: error (diagonal), 1: Cov1, 2: Cov2, 3: Cov3
      const g = sameTest ? (sameReader ? 0 : 2) : sameReader ? 1 : 3;
      sums[g] += cov[k][l];
      counts[g]++;
    }
  }
  const mean = (g: number) => (counts[g] > 0 ? sums[g] / counts[g] : undefined);
  const out: { error: number; cov1?: number; cov2: number; cov3?: number } = {
    error: sums[0] / counts[0],
    cov2: sums[2] / counts[2],
  };
  if (nTests > 1) {
    out.cov1 = mean(1);
    out.cov3 = mean(3);
  }
  return out;
}
