// Public face of lib/jobs: background work on pg-boss with a Job row per job that the pages poll. The web
// process declares the kinds (./kinds) to queue and show jobs; what runs them (./handlers) is loaded only by
// the worker: import startWorker from '@/lib/jobs/worker'.
import './kinds';

export { declareJobKind, defineJobKind, getJobKind, jobKinds, type JobContext, type JobKind, type JobKindDeclaration } from './registry';
export { createJob, dispatchJob, enqueueJob, findJob, jobView, recentJobs, type JobView } from './jobs';
export { BOSS_SCHEMA, getBoss, stopBoss } from './queue';
export { cancelJob, isJobCancelled } from './cancel';
export { ganGenerationKind, memorisationCheckKind, queueRadiomicsForBatch, radiomicsDistanceKind, type MemorisationCheckParams, type RadiomicsDistanceParams } from './kinds';
export type { MemorisationCheckResult } from './handlers/memorisation-check';
export type { RadiomicsDistanceResult } from './handlers/radiomics-distance';
