/**
 * Public face of "Can a machine tell?": a small CNN (tfjs, Node) and the cross-validated classifier
 * two-sample test built on it. Pure: images as Float32Arrays in, AUCs out; the job that loads a
 * study's or a pool's images is lib/jobs/kinds/two-sample-test.ts.
 */
export { CNN_DEFAULTS, seededRandom, trainCnn, type CnnOptions, type TrainedCnn } from './cnn';
export { classifierTwoSampleTest, stratifiedFolds, type TwoSampleOptions, type TwoSampleResult } from './two-sample';
export { splitTrainTest, trainSyntheticTestReal, type LabelUtility, type LabelledImages, type UtilityOptions, type UtilityResult } from './utility';
