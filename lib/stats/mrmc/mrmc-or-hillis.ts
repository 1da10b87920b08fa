import { aucCovariance, COV_METHODS } from './covariance';
import { buildDesign } from './design';
import { orHillis } from './or-hillis';
import type { MrmcOptions, MrmcRecord, MrmcResult } from './types';

/**
 * Multi-reader multi-case ROC analysis by the Obuchowski–Rockette method with Hillis
 * denominator degrees of freedom, random readers and random cases (Obuchowski & Rockette 1995;
 * Hillis 2007 "A comparison of denominator degrees of freedom methods for multiple observer ROC
 * analysis"; Hillis, Obuchowski & Berbaum 2008), reproducing MRMCaov (Smith & Hillis) with
 * empirical AUC and fractional df.
 *
 * - AUC per reader×test is the empirical (trapezoidal) AUC, ties ½; truth 1 = synthetic, and a
 *   higher rating means "more likely synthetic".
 * - The case-sampling covariance of the AUCs is DeLong (default; DeLong et al. 1988), jackknife
 *   or unbiased (Gallas 2006).
 * - Every test gets a single-test analysis on its own data: SE, Hillis df, t CI and the
 *   two-sided p-value against `nullAuc` (default 0.5: "can readers tell real from synthetic?").
 * - Two or more tests add the OR–Hillis F test (`overall`) and all pairwise differences in
 *   natural id order (`pairwise`); exactly two add `difference` = first − second.
 *
 * Requires a fully crossed design (every reader rates every case in every test, once), at least
 * 2 readers and at least 2 cases of each truth class; throws a descriptive Error otherwise.
 */
export function mrmcOrHillis(records: readonly MrmcRecord[], opts: MrmcOptions = {}): MrmcResult {
  const cov = opts.cov ?? 'delong';
  const confLevel = opts.confLevel ?? 0.95;
  const nullAuc = opts.nullAuc ?? 0.5;
  if (!COV_METHODS.includes(cov)) {
    throw new Error(`mrmcOrHillis: unknown cov ${JSON.stringify(cov)}; use one of ${COV_METHODS.join(', ')}`);
  }
  if (typeof confLevel !== 'number' || !(confLevel > 0 && confLevel < 1)) {
    throw new Error(`mrmcOrHillis: confLevel must be strictly between 0 and 1, got ${String(confLevel)}`);
  }
  if (typeof nullAuc !== 'number' || !(nullAuc >= 0 && nullAuc <= 1)) {
    throw new Error(`mrmcOrHillis: nullAuc must be between 0 and 1, got ${String(nullAuc)}`);
  }

  const design = buildDesign(records);
  const R = design.readers.length;
  const cells = design.pos.map((pos, k) => ({ pos, neg: design.neg[k] }));
  const { aucs, cov: matrix } = aucCovariance(cells, cov);
  const auc = design.tests.map((_, i) => aucs.slice(i * R, (i + 1) * R));

  const analysis = orHillis({ tests: design.tests, readers: design.readers, auc, cov: matrix, confLevel, nullAuc });
  return {
    ...analysis,
    design: {
      readers: design.readers,
      tests: design.tests,
      nCases0: design.cases0.length,
      nCases1: design.cases1.length,
      cov,
      confLevel,
      nullAuc,
    },
  };
}
