// Every job kind the workers run. A new kind (e.g. GAN generation) is a module here that calls defineJobKind.
export { memorisationCheck, type MemorisationCheckParams, type MemorisationCheckResult } from './memorisation-check';
