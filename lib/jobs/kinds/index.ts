// Every job kind the workers run. A new kind is a module here that calls defineJobKind.
export { memorisationCheck, type MemorisationCheckParams, type MemorisationCheckResult } from './memorisation-check';
export { ganGeneration } from './gan-generation';
export { twoSampleTest, runTwoSampleTest, type MachineVerdict, type TwoSampleParams } from './two-sample-test';
export { trainSyntheticTestRealJob, runUtility, latestUtilityVerdicts, type UtilityVerdict } from './train-synthetic-test-real';
