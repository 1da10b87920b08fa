// Public face of lib/radiomics: IBSI radiomic features of 2D images and the Fréchet Radiomics Distance.
export type { DiscretisedImage, FeatureValues, RadiomicsImage } from './types';
export { discretiseFixedWidth } from './discretise';
export {
  DEFAULT_RADIOMICS_SETTINGS,
  extractFeatures,
  familyFeatures,
  featureDescriptors,
  type FeatureDescriptor,
  type FeatureFamily,
  type RadiomicsSettings,
} from './features';
export { fitGaussian, frechetDistance, type Gaussian } from './frechet';
export { FRD_NORM_RANGE, normaliseJointly } from './normalise';
export { precisionRecall, type PrecisionRecall } from './precision-recall';
export { describeDifference, featureDifferences, frechetRadiomicsDistance, type FeatureDifference, type FrdOptions, type FrdResult } from './frd';
