import { dot } from './dot';
import type { Placements } from './empirical-auc';
import { cellOrder, pairedConcordance } from './paired-concordance';

/**
 * Unbiased U-statistic covariance matrix of empirical AUCs measured on the same cases
 * (Gallas 2006 "One-shot estimate of MRMC variance: AUC"; Gallas, Pennello & Myers 2007;
 * the "unbiased" method of MRMCaov by Smith & Hillis). Unlike DeLong and the jackknife, which
 * are biased upward, it is exactly unbiased for the case-sampling covariance; in exchange the
 * matrix is not guaranteed to be positive semi-definite.
 *
 * With N = n1·n0, S = Σψ, R = Σ_i rowsum_k·rowsum_l, C = Σ_j colsum_k·colsum_l and
 * D = Σ_ij ψ_k·ψ_l, the estimator is ((1 − δ)·S_k·S_l + δ·(R + C − D)) / N² with
 * δ = N² / (n1(n1 − 1)·n0(n0 − 1)). It is evaluated here as
 * ((R + C − D) − (δ − 1)·(S_k·S_l − R − C + D)) / N², where every sum is an exact integer in
 * half-units of ψ and δ − 1 = (n1 + n0 − 1)/((n1 − 1)(n0 − 1)) is small, which avoids the
 * cancellation of two ≈S² terms. D comes from `pairedConcordance` in O(n log n) per pair.
 *
 * `pos[k]`/`neg[k]` are cell k's truth-1/truth-0 ratings (same case order in every cell) and
 * `placements[k]` their placement values.
 */
export function unbiasedCovariance(
  pos: readonly ArrayLike<number>[],
  neg: readonly ArrayLike<number>[],
  placements: readonly Placements[],
): number[][] {
  const K = placements.length;
  if (K === 0) return [];
  if (pos.length !== K || neg.length !== K) {
    throw new Error('unbiasedCovariance: ratings and placements must cover the same cells');
  }
  const n1 = placements[0].v10.length;
  const n0 = placements[0].v01.length;
  if (n1 < 2 || n0 < 2) throw new Error('unbiasedCovariance: need at least 2 cases of each truth class');
  // Row and column sums of ψ' = 2ψ, recovered exactly from the placement values.
  const row = placements.map((p) => Float64Array.from(p.v10, (v) => Math.round(v * 2 * n0)));
  const col = placements.map((p) => Float64Array.from(p.v01, (v) => Math.round(v * 2 * n1)));
  const sum = row.map((r) => r.reduce((a, b) => a + b, 0));
  const orders = placements.map((p, k) => {
    if (p.v10.length !== n1 || p.v01.length !== n0 || pos[k].length !== n1 || neg[k].length !== n0) {
      throw new Error('unbiasedCovariance: cells differ in their number of cases');
    }
    return cellOrder(pos[k], neg[k]);
  });
  const N = n1 * n0;
  const excess = (n1 + n0 - 1) / ((n1 - 1) * (n0 - 1));
  const cov: number[][] = Array.from({ length: K }, () => new Array<number>(K));
  for (let k = 0; k < K; k++) {
    for (let l = 0; l <= k; l++) {
      const near = dot(row[k], row[l]) + dot(col[k], col[l]) - pairedConcordance(orders[k], orders[l]);
      const far = sum[k] * sum[l] - near; // Σ over i ≠ i', j ≠ j' of ψ'_k(i,j)·ψ'_l(i',j')
      const c = (near - excess * far) / (4 * N * N);
      cov[k][l] = c;
      cov[l][k] = c;
    }
  }
  return cov;
}
