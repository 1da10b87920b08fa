// Every job kind the workers run. A new kind is a module here that calls defineJobKind.
export { memorisationCheck, type MemorisationCheckParams, type MemorisationCheckResult } from './memorisation-check';
export { ganGeneration } from './gan-generation';
export { queueRadiomicsForBatch, radiomicsDistance, type RadiomicsDistanceParams, type RadiomicsDistanceResult } from './radiomics-distance';
