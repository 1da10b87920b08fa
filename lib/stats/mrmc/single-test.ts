import { tQuantile, tTwoSidedP } from './distributions';

export interface SingleTestAnalysis {
  auc: number;
  se: number;
  df: number;
  ci: [number, number];
  pValueVsNull: number;
  /** MS(R) of this test's reader AUCs. */
  msR: number;
  /** Mean AUC variance of this test's readers. */
  error: number;
  /** Mean covariance between different readers of this test. */
  cov2: number;
}

/**
 * OR–Hillis single-test analysis, random readers and random cases (Obuchowski & Rockette 1995;
 * Hillis 2007; Hillis, Obuchowski & Berbaum 2008; MRMCaov `summary` "CIs (each analysis based
 * only on data for the specified treatment)"): for the reader-averaged AUC θ̄ of one test,
 * SE = √((MS(R) + R·max(Cov2, 0))/R), Hillis df = (MS(R) + R·max(Cov2, 0))² / (MS(R)²/(R − 1)),
 * t-based CI (not clipped to [0, 1]) and the two-sided t test of H0: AUC = nullAuc.
 *
 * `aucs` are this test's R reader AUCs, `cov` their R×R covariance matrix.
 *
 * When SE is exactly 0 (e.g. every reader separates the classes perfectly, so every AUC is 1 and
 * the DeLong variance is 0) the df are 0/0 and reported as NaN; the CI collapses to the estimate
 * and the p-value is its limit, 0 if the estimate differs from nullAuc and 1 if it equals it.
 */
export function singleTestAnalysis(
  aucs: readonly number[],
  cov: readonly (readonly number[])[],
  confLevel: number,
  nullAuc: number,
): SingleTestAnalysis {
  const R = aucs.length;
  if (R < 2) throw new Error('singleTestAnalysis: need at least 2 readers');
  const auc = aucs.reduce((a, b) => a + b, 0) / R;
  const msR = aucs.reduce((a, x) => a + (x - auc) ** 2, 0) / (R - 1);
  let error = 0;
  let cov2 = 0;
  for (let j = 0; j < R; j++) {
    for (let k = 0; k < R; k++) {
      if (j === k) error += cov[j][k];
      else cov2 += cov[j][k];
    }
  }
  error /= R;
  cov2 /= R * (R - 1);
  const numerator = msR + R * Math.max(cov2, 0);
  const se = Math.sqrt(numerator / R);
  const df = (numerator * numerator) / ((msR * msR) / (R - 1));
  if (se === 0) {
    return { auc, se, df: NaN, ci: [auc, auc], pValueVsNull: auc === nullAuc ? 1 : 0, msR, error, cov2 };
  }
  const half = tQuantile((1 + confLevel) / 2, df) * se;
  return {
    auc,
    se,
    df,
    ci: [auc - half, auc + half],
    pValueVsNull: tTwoSidedP((auc - nullAuc) / se, df),
    msR,
    error,
    cov2,
  };
}
