import { dot } from './dot';
import type { Placements } from './empirical-auc';

/**
 * Jackknife covariance matrix of reader×test AUCs over cases (Efron 1982; Hillis, Obuchowski &
 * Berbaum 2008; the default "jackknife" of MRMCaov and OR-DBM MRMC): leave out one case at a
 * time, over all n = n1 + n0 cases, Cov = (n − 1)/n · Σ_c (θ₋c − θ̄)(θ₋c − θ̄)ᵀ.
 *
 * Leaving out a case removes one row or column of the ψ matrix, so each leave-one-out AUC follows
 * from the placement values in O(1): truth-1 case i gives (n1·AUC − V10_i)/(n1 − 1), truth-0
 * case j gives (n0·AUC − V01_j)/(n0 − 1). Cost O(K²·n) for K cells instead of re-estimating
 * K·n AUCs from scratch.
 */
export function jackknifeCovariance(placements: readonly Placements[]): number[][] {
  const K = placements.length;
  if (K === 0) return [];
  const n1 = placements[0].v10.length;
  const n0 = placements[0].v01.length;
  if (n1 < 2 || n0 < 2) throw new Error('jackknifeCovariance: need at least 2 cases of each truth class');
  const n = n1 + n0;
  const dev = placements.map((p) => {
    if (p.v10.length !== n1 || p.v01.length !== n0) {
      throw new Error('jackknifeCovariance: cells differ in their number of cases');
    }
    const theta = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n1; i++) sum += theta[i] = (n1 * p.auc - p.v10[i]) / (n1 - 1);
    for (let j = 0; j < n0; j++) sum += theta[n1 + j] = (n0 * p.auc - p.v01[j]) / (n0 - 1);
    const mean = sum / n;
    for (let c = 0; c < n; c++) theta[c] -= mean;
    return theta;
  });
  const scale = (n - 1) / n;
  const cov: number[][] = Array.from({ length: K }, () => new Array<number>(K));
  for (let k = 0; k < K; k++) {
    for (let l = 0; l <= k; l++) {
      const c = scale * dot(dev[k], dev[l]);
      cov[k][l] = c;
      cov[l][k] = c;
    }
  }
  return cov;
}
