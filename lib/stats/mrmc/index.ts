/**
 * Public face of the MRMC ROC analysis: Obuchowski–Rockette with Hillis df (random readers,
 * random cases), as in MRMCaov (Smith & Hillis). Pure functions on plain arrays and objects.
 */
export { mrmcOrHillis, mrmcOrHillisRatings, type MrmcRatings } from './mrmc-or-hillis';
export { orHillis, type OrHillisInput } from './or-hillis';
export { singleTestAnalysis, type SingleTestAnalysis } from './single-test';
export { aucCovariance, COV_METHODS, type CellRatings } from './covariance';
export { delongCovariance } from './covariance-delong';
export { jackknifeCovariance } from './covariance-jackknife';
export { unbiasedCovariance } from './covariance-unbiased';
export { orCovarianceAverages } from './covariance-averages';
export { meanSquares } from './anova';
export { empiricalAuc, placementValues, type Placements } from './empirical-auc';
export { compareIds, sortIds } from './natural-order';
export type {
  CovMethod,
  Difference,
  MeanSquares,
  MrmcOptions,
  MrmcRecord,
  MrmcResult,
  OverallTest,
  PairwiseDifference,
  TestSummary,
  VarianceComponents,
} from './types';
