import { aucCovariance, COV_METHODS } from './covariance';
import { buildDesign, type Design } from './design';
import { sortIds } from './natural-order';
import { orHillis } from './or-hillis';
import type { CovMethod, MrmcOptions, MrmcRecord, MrmcResult } from './types';

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
  const settings = checkOptions(opts);
  return analyse(buildDesign(records), settings);
}

/**
 * A fully crossed design as a ratings matrix, the shape a database query can fill without one
 * object per rating: `ratings[t * readers.length + r][c]` is reader r's rating of case c under
 * test t; `truth[c]` is 1 (synthetic) or 0 (real).
 */
export interface MrmcRatings {
  readers: string[];
  tests: string[];
  truth: Uint8Array;
  ratings: Float64Array[];
}

/**
 * mrmcOrHillis on a ratings matrix (see MrmcRatings): the same analysis, for callers that hold
 * ratings in typed arrays (the dashboard, with up to a million answers).
 */
export function mrmcOrHillisRatings(input: MrmcRatings, opts: MrmcOptions = {}): MrmcResult {
  const settings = checkOptions(opts);
  const { readers, tests, truth, ratings } = input;
  const fail = (message: string): never => {
    throw new Error(`mrmcOrHillis: ${message}`);
  };
  const R = readers.length;
  if (new Set(readers).size !== R || new Set(tests).size !== tests.length) fail('reader and test ids must be unique');
  if (R < 2) fail(`at least 2 readers are needed for a random-reader analysis, got ${R}`);
  if (tests.length < 1) fail('at least one test is needed');
  if (ratings.length !== R * tests.length) fail(`ratings must have one row per reader and test (${R * tests.length}), got ${ratings.length}`);
  const cases1: number[] = [];
  const cases0: number[] = [];
  truth.forEach((t, c) => (t === 1 ? cases1 : t === 0 ? cases0 : fail(`truth[${c}] must be 0 or 1, got ${t}`)).push(c));
  if (cases1.length < 2 || cases0.length < 2) {
    fail(`at least 2 cases of each truth class are needed for a case-sampling variance, got ${cases1.length} with truth 1 and ${cases0.length} with truth 0`);
  }
  const readerOrder = sortIds(readers).map((id) => readers.indexOf(id));
  const testOrder = sortIds(tests).map((id) => tests.indexOf(id));
  const pos: Float64Array[] = [];
  const neg: Float64Array[] = [];
  for (const t of testOrder) {
    for (const r of readerOrder) {
      const row = ratings[t * R + r];
      if (row.length !== truth.length) fail(`ratings of reader "${readers[r]}", test "${tests[t]}" must cover all ${truth.length} cases`);
      const p = new Float64Array(cases1.length);
      const n = new Float64Array(cases0.length);
      let finite = true;
      for (let i = 0; i < cases1.length; i++) finite = Number.isFinite((p[i] = row[cases1[i]])) && finite;
      for (let i = 0; i < cases0.length; i++) finite = Number.isFinite((n[i] = row[cases0[i]])) && finite;
      if (!finite) fail(`rating of reader "${readers[r]}", test "${tests[t]}" is not a finite number`);
      pos.push(p);
      neg.push(n);
    }
  }
  const design: Design = {
    readers: readerOrder.map((r) => readers[r]),
    tests: testOrder.map((t) => tests[t]),
    cases1: cases1.map(String),
    cases0: cases0.map(String),
    pos,
    neg,
  };
  return analyse(design, settings);
}

function checkOptions(opts: MrmcOptions): { cov: CovMethod; confLevel: number; nullAuc: number } {
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
  return { cov, confLevel, nullAuc };
}

function analyse(design: Design, { cov, confLevel, nullAuc }: { cov: CovMethod; confLevel: number; nullAuc: number }): MrmcResult {
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
