/**
 * Public face of the leak audit (pure: features of stored bytes in, a readable report out). The
 * database side, which loads a study's images and runs it before opening, is
 * lib/privacy/leak-audit/store.ts.
 */
export {
  DEFAULT_MAX_AUC,
  MIN_IMAGES_PER_CLASS,
  describeLeakAudit,
  leakAudit,
  type AuditImage,
  type FeatureContrast,
  type LeakAuditCheck,
  type LeakAuditOptions,
  type LeakAuditReport,
} from './audit';
export { crossValidatedAuc, fitLogistic, standardiseWithinGroups, type CrossValidationOptions, type CrossValidationResult } from './classifier';
export { CANONICAL_CHUNKS, FEATURE_NAMES, HISTOGRAM_BINS, encodingSignature, featureVector, imageFeatures, pixelStatistics, type ImageFeatures } from './features';
