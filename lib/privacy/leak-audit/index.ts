/**
 * Public face of the leak audit (pure: features of stored bytes in, a readable report out). The
 * database side, which loads a study's images and runs it before opening, is
 * lib/privacy/leak-audit/store.ts.
 */
export {
  MIN_IMAGES_PER_CLASS,
  TIMING_MIN_DIFF_MS,
  TIMING_MIN_RELATIVE,
  describeLeakAudit,
  leakAudit,
  type AuditImage,
  type FeatureContrast,
  type LeakAuditCheck,
  type LeakAuditOptions,
  type LeakAuditReport,
  type ServedImage,
} from './audit';
export { crossValidatedAuc, fitLogistic, standardiseWithinGroups, type CrossValidationOptions, type CrossValidationResult } from './classifier';
export { CANONICAL_CHUNKS, FEATURE_NAMES, HISTOGRAM_BINS, encodingSignature, featureVector, imageFeatures, pixelStatistics, type ImageFeatures } from './features';
