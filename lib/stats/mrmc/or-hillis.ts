import { meanSquares } from './anova';
import { orCovarianceAverages } from './covariance-averages';
import { fUpperP, tQuantile, tTwoSidedP } from './distributions';
import { singleTestAnalysis } from './single-test';
import type { MrmcResult, OverallTest, PairwiseDifference, VarianceComponents } from './types';

export interface OrHillisInput {
  tests: readonly string[];
  readers: readonly string[];
  /** auc[i][j]: test i, reader j. */
  auc: readonly (readonly number[])[];
  /** K×K AUC covariance matrix, cell k = test·R + reader. */
  cov: readonly (readonly number[])[];
  confLevel: number;
  nullAuc: number;
}

/**
 * Obuchowski–Rockette analysis with Hillis denominator degrees of freedom, random readers and
 * random cases (Obuchowski & Rockette 1995; Hillis 2007 "A comparison of denominator degrees of
 * freedom methods for multiple observer ROC analysis"; Hillis, Obuchowski & Berbaum 2008), as in
 * MRMCaov (Smith & Hillis), from a test × reader AUC table and its covariance matrix:
 *
 * - F = MS(T) / (MS(T×R) + R·max(Cov2 − Cov3, 0)) on T − 1 and
 *   df2 = (MS(T×R) + R·max(Cov2 − Cov3, 0))² / (MS(T×R)²/((T − 1)(R − 1))) df;
 * - every pairwise difference with SE = √(2/R · denominator), t-based CI on df2;
 * - a single-test analysis of each test on its own data (see `singleTestAnalysis`);
 * - OR variance components σ²_R = (MS(R) − MS(T×R))/T − Cov1 + Cov3 and
 *   σ²_TR = MS(T×R) − σ²_ε + Cov1 + Cov2 − Cov3 (MRMCaov's estimators). With one test,
 *   E[MS(R)] = σ²_R + σ²_ε − Cov2 (σ²_TR folded into σ²_R), so σ²_R = MS(R) − σ²_ε + Cov2.
 *
 * df stay fractional and intervals are not clipped to [0, 1].
 */
export function orHillis(input: OrHillisInput): Omit<MrmcResult, 'design'> {
  const { tests, readers, auc, cov, confLevel, nullAuc } = input;
  const T = tests.length;
  const R = readers.length;
  if (T < 1 || R < 2) throw new Error('orHillis: need at least 1 test and 2 readers');
  if (auc.length !== T || auc.some((row) => row.length !== R)) {
    throw new Error(`orHillis: auc must be a ${T}×${R} test × reader table`);
  }
  const ms = meanSquares(auc);
  const averages = orCovarianceAverages(cov, T, R);

  const testSummaries = tests.map((test, i) => {
    const block = Array.from({ length: R }, (_, j) => Array.from({ length: R }, (_, k) => cov[i * R + j][i * R + k]));
    const single = singleTestAnalysis(auc[i], block, confLevel, nullAuc);
    return {
      test,
      auc: single.auc,
      perReader: readers.map((reader, j) => ({ reader, auc: auc[i][j] })),
      se: single.se,
      df: single.df,
      ci: single.ci,
      pValueVsNull: single.pValueVsNull,
    };
  });

  if (T === 1) {
    const varianceComponents: VarianceComponents = {
      error: averages.error,
      cov2: averages.cov2,
      varR: ms.r - averages.error + averages.cov2,
    };
    return { tests: testSummaries, varianceComponents, meanSquares: { r: ms.r } };
  }

  const msT = ms.t as number;
  const msTR = ms.tr as number;
  const cov1 = averages.cov1 as number;
  const cov3 = averages.cov3 as number;
  const denominator = msTR + R * Math.max(averages.cov2 - cov3, 0);
  const df1 = T - 1;
  const df2 = (denominator * denominator) / ((msTR * msTR) / ((T - 1) * (R - 1)));
  const f = msT / denominator;
  // With a zero denominator the statistic is c/0: infinite evidence unless every mean is equal.
  const overall: OverallTest =
    denominator === 0
      ? { f, df1, df2: NaN, pValue: msT === 0 ? 1 : 0 }
      : { f, df1, df2, pValue: fUpperP(f, df1, df2) };

  const se = Math.sqrt((2 / R) * denominator);
  const q = tQuantile((1 + confLevel) / 2, overall.df2);
  const pairwise: PairwiseDifference[] = [];
  for (let a = 0; a < T; a++) {
    for (let b = a + 1; b < T; b++) {
      const estimate = testSummaries[a].auc - testSummaries[b].auc;
      const t = estimate / se;
      const collapsed = se === 0;
      pairwise.push({
        testA: tests[a],
        testB: tests[b],
        estimate,
        se,
        df: overall.df2,
        t,
        pValue: collapsed ? (estimate === 0 ? 1 : 0) : tTwoSidedP(t, overall.df2),
        ci: collapsed ? [estimate, estimate] : [estimate - q * se, estimate + q * se],
      });
    }
  }

  const varianceComponents: VarianceComponents = {
    error: averages.error,
    cov1,
    cov2: averages.cov2,
    cov3,
    varR: (ms.r - msTR) / T - cov1 + cov3,
    varTR: msTR - averages.error + cov1 + averages.cov2 - cov3,
  };

  const result: Omit<MrmcResult, 'design'> = {
    tests: testSummaries,
    overall,
    pairwise,
    varianceComponents,
    meanSquares: { t: msT, r: ms.r, tr: msTR },
  };
  if (T === 2) {
    const d = pairwise[0];
    // F = t² on (1, df2): report the t-based p so the two fields agree to the last bit.
    result.difference = { estimate: d.estimate, se: d.se, df: d.df, f: overall.f, pValue: d.pValue, ci: d.ci };
  }
  return result;
}
