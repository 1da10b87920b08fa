// Public face of lib/privacy: what keeps patients out of the pools. DICOM de-identification (PS3.15 Basic
// Profile) for everything stored from a DICOM, and the memorisation (near-copy) check of synthetic images.
export { PROFILE_NAME, deidentificationRecord, deidentifyDataSet, deidentifyDicom, replaceUid, type DeidentifiedDicom, type RemovedAttribute, type RetainedAttributes } from './dicom-profile';
export { COMMON_SIZE, minMaxScale, pearson, resampleArea, zScore } from './normalise';
export { ssim } from './ssim';
export { createDotKernel, quantise, QUANT_SCALE, type DotKernel } from './dot-kernel';
export { NearestRealIndex, SCREEN_ERROR, type NearestMatch, type RealRef } from './nearest';
export { assessMatches, type MemorisationThresholds, type MemorisationVerdict } from './memorisation';
export { cachedTrainingSet, describeTrainingSetFile, HELD_OUT_IMAGES, heldOutIndices, listTrainingSets, loadTrainingSet, trainingImage, type TrainingSet, type TrainingSetInfo } from './training-sets';
