/**
 * Shared types of the OR–Hillis MRMC ROC analysis (see `mrmc-or-hillis.ts`).
 *
 * Truth 1 is the "diseased" class of ROC analysis; in this app it is a synthetic image, and a
 * rating is the reader's confidence that the image is synthetic.
 */

/** Estimator of the case-sampling covariance of the reader×test AUCs. */
export type CovMethod = 'delong' | 'jackknife' | 'unbiased';

/** One rating: one reader, one test (modality / generator), one case. */
export interface MrmcRecord {
  reader: string;
  test: string;
  case: string;
  /** 1 = synthetic (diseased), 0 = real (non-diseased). */
  truth: 0 | 1;
  /** Confidence that the case is synthetic; any finite number, only its order matters. */
  rating: number;
}

export interface MrmcOptions {
  /** Covariance estimator; default 'delong'. */
  cov?: CovMethod;
  /** Confidence level of every interval; default 0.95. */
  confLevel?: number;
  /** AUC under the single-test null hypothesis; default 0.5 ("readers cannot tell"). */
  nullAuc?: number;
}

export interface TestSummary {
  test: string;
  /** Reader-averaged empirical AUC of this test. */
  auc: number;
  perReader: Array<{ reader: string; auc: number }>;
  /** Single-test OR–Hillis standard error (this test's data only). */
  se: number;
  /** Hillis denominator degrees of freedom, fractional. */
  df: number;
  ci: [number, number];
  /** Two-sided p-value of H0: AUC = nullAuc. */
  pValueVsNull: number;
}

/** First test minus second test (natural id order); only for a two-test study. */
export interface Difference {
  estimate: number;
  se: number;
  df: number;
  /** OR–Hillis F statistic (numerator df 1, so F = t²). */
  f: number;
  pValue: number;
  ci: [number, number];
}

export interface PairwiseDifference {
  testA: string;
  testB: string;
  /** AUC(testA) − AUC(testB). */
  estimate: number;
  se: number;
  df: number;
  t: number;
  pValue: number;
  ci: [number, number];
}

/** OR–Hillis global F test of equal reader-averaged AUCs across tests. */
export interface OverallTest {
  f: number;
  df1: number;
  df2: number;
  pValue: number;
}

/**
 * OR variance components. With one test, reader and test×reader variance are confounded and
 * `varR` is their sum; `cov1`, `cov3`, `varTR` exist only with two or more tests.
 */
export interface VarianceComponents {
  error: number;
  cov1?: number;
  cov2: number;
  cov3?: number;
  varR: number;
  varTR?: number;
}

export interface MeanSquares {
  /** MS(T); two or more tests only. */
  t?: number;
  r: number;
  /** MS(T×R); two or more tests only. */
  tr?: number;
}

export interface MrmcResult {
  tests: TestSummary[];
  /** Present for exactly two tests. */
  difference?: Difference;
  /** Present for two or more tests. */
  overall?: OverallTest;
  /** Every pair of tests in natural order; present for two or more tests. */
  pairwise?: PairwiseDifference[];
  varianceComponents: VarianceComponents;
  meanSquares: MeanSquares;
  design: {
    readers: string[];
    tests: string[];
    /** Number of truth-0 (real) cases. */
    nCases0: number;
    /** Number of truth-1 (synthetic) cases. */
    nCases1: number;
    cov: CovMethod;
    confLevel: number;
    nullAuc: number;
  };
}
