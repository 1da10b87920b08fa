/**
 * Difference of two correlated ROC AUCs measured on the same cases, with DeLong's variance
 * (DeLong E.R., DeLong D.M., Clarke-Pearson D.L. (1988), Biometrics 44:837–845):
 * Var(A − B) = Var(A) + Var(B) − 2 Cov(A, B) from the placement values' covariance
 * (lib/stats/mrmc: placementValues, delongCovariance — the same code the MRMC analysis uses);
 * Wald interval (A − B) ± z·SE and a two-sided z test of A = B. R's pROC::roc.test(method =
 * "delong", paired = TRUE) computes the same statistic. SE 0 (identical scores) gives the
 * interval [d, d] and p = 1 when d = 0.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { delongCovariance } from './mrmc/covariance-delong';
import { placementValues } from './mrmc/empirical-auc';
import type { Interval } from './types';
import { assertArray, assertOpenUnit, assertSameLength } from './validate';

export interface PairedAucDifference {
  aucA: number;
  aucB: number;
  /** aucA − aucB. */
  difference: number;
  se: number;
  ci: Interval;
  z: number;
  pValue: number;
}

export function pairedAucDifference(scoresA: number[], scoresB: number[], truth: Array<0 | 1>, confLevel = 0.95): PairedAucDifference {
  const fn = 'pairedAucDifference';
  assertArray(fn, 'scoresA', scoresA);
  assertArray(fn, 'scoresB', scoresB);
  assertArray(fn, 'truth', truth);
  assertSameLength(fn, 'scoresA', scoresA, 'truth', truth);
  assertSameLength(fn, 'scoresB', scoresB, 'truth', truth);
  assertOpenUnit(fn, 'confLevel', confLevel);
  const split = (scores: number[]) => {
    const pos: number[] = [];
    const neg: number[] = [];
    scores.forEach((s, i) => {
      if (typeof s !== 'number' || !Number.isFinite(s)) throw new TypeError(`${fn}: scores[${i}] must be a finite number (got ${String(s)})`);
      if (truth[i] === 1) pos.push(s);
      else if (truth[i] === 0) neg.push(s);
      else throw new TypeError(`${fn}: truth[${i}] must be 0 or 1 (got ${String(truth[i])})`);
    });
    return placementValues(pos, neg);
  };
  const a = split(scoresA);
  const b = split(scoresB);
  if (a.v10.length < 2 || a.v01.length < 2) throw new RangeError(`${fn}: need at least 2 cases of each truth class`);
  const [[vA, cAB], [, vB]] = delongCovariance([a, b]);
  const difference = a.auc - b.auc;
  const se = Math.sqrt(Math.max(0, vA + vB - 2 * cAB));
  const zCrit = normalQuantile(0.5 + confLevel / 2, 0, 1);
  const z = se > 0 ? difference / se : difference === 0 ? 0 : Math.sign(difference) * Infinity;
  const pValue = se > 0 ? 2 * (1 - normalCdf(Math.abs(z), 0, 1)) : difference === 0 ? 1 : 0;
  return { aucA: a.auc, aucB: b.auc, difference, se, ci: [difference - zCrit * se, difference + zCrit * se], z, pValue };
}
