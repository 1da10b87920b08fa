import { gramMatrix } from './dot';
import type { Placements } from './empirical-auc';

/**
 * DeLong covariance matrix of correlated empirical AUCs measured on the same cases
 * (DeLong, DeLong & Clarke-Pearson 1988): Cov = S10/n1 + S01/n0, where S10 and S01 are the
 * sample covariance matrices (divisor n − 1) of the truth-1 and truth-0 placement values.
 * This is the "DeLong" method of MRMCaov (Smith & Hillis) and of Hillis's OR software.
 *
 * `placements[k]` belongs to reader×test cell k; all cells must list the same cases in the same
 * order. Cost O(K²·n) for K cells and n cases (gramMatrix), no pair loops over ratings.
 */
export function delongCovariance(placements: readonly Placements[]): number[][] {
  const K = placements.length;
  if (K === 0) return [];
  const n1 = placements[0].v10.length;
  const n0 = placements[0].v01.length;
  if (n1 < 2 || n0 < 2) throw new Error('delongCovariance: need at least 2 cases of each truth class');
  const d10 = placements.map((p) => centred(p.v10, p.auc, n1));
  const d01 = placements.map((p) => centred(p.v01, p.auc, n0));
  const g10 = gramMatrix(d10);
  const g01 = gramMatrix(d01);
  const cov: number[][] = Array.from({ length: K }, () => new Array<number>(K));
  for (let k = 0; k < K; k++) {
    for (let l = 0; l <= k; l++) {
      const c = g10[k * K + l] / ((n1 - 1) * n1) + g01[k * K + l] / ((n0 - 1) * n0);
      cov[k][l] = c;
      cov[l][k] = c;
    }
  }
  return cov;
}

function centred(v: Float64Array, mean: number, n: number): Float64Array {
  if (v.length !== n) throw new Error('delongCovariance: cells differ in their number of cases');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i] - mean;
  return out;
}
