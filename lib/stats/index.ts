/**
 * Public face of the statistics module: pure functions over plain numbers and arrays. Expected
 * values in the tests come from an independent scipy implementation (fixtures/make_fixtures.py).
 */
export type { Alternative, Interval } from './types';
export { binomialTest, type BinomialTestOptions, type BinomialTestResult } from './binomial-test';
export { clopperPearson } from './clopper-pearson';
export { wilsonInterval } from './wilson';
export { tostBinomial, type TostOptions, type TostResult } from './tost';
export { holm } from './holm';
export { benjaminiHochberg } from './benjamini-hochberg';
export { cohenKappa, fleissKappa, type CohenKappaResult, type FleissKappaResult } from './kappa';
export { rocAuc, type RocAucResult } from './roc-auc';
export { rocCurve, type RocPoint } from './roc-curve';
export { cochranArmitageTrend, type TrendTestResult } from './cochran-armitage';
export { binomialPower, sampleSizeForPower, type PowerOptions, type SampleSizeOptions } from './power';
export { tostPower, tostSampleSize, type TostPowerOptions, type TostSampleSizeOptions } from './tost-power';
export { syntheticScore, type StudyCall } from './synthetic-score';
export {
  summarizeStudy,
  summarizeStudyColumns,
  type AgreementSummary,
  type GroupSummary,
  type ProportionEstimate,
  type ReaderSummary,
  type StudyColumns,
  type StudyResponse,
  type StudySummary,
  type SummarizeStudyOptions,
} from './summarize-study';
export {
  mrmcOrHillis,
  mrmcOrHillisRatings,
  type CovMethod,
  type MrmcRatings,
  type MrmcOptions,
  type MrmcRecord,
  type MrmcResult,
  type TestSummary as MrmcTestSummary,
} from './mrmc';
export { pairedAucDifference, type PairedAucDifference } from './paired-auc-difference';
