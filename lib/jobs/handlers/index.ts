// Every job kind's handler, registered with the worker (lib/jobs/worker.ts) and nowhere else: handlers
// load heavy code (TensorFlow.js for generation). A new kind is declared in lib/jobs/kinds and handled here.
export { memorisationCheck, type MemorisationCheckResult } from './memorisation-check';
export { ganGeneration } from './gan-generation';
export { radiomicsDistance, type RadiomicsDistanceResult } from './radiomics-distance';
export { twoSampleTest, runTwoSampleTest } from './two-sample-test';
export { trainSyntheticTestRealJob, runUtility } from './train-synthetic-test-real';
