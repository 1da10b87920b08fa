// Public face of lib/jobs: background work on pg-boss with a Job row per job that the pages poll.
import './kinds';

export { defineJobKind, getJobKind, jobKinds, type JobContext, type JobKind } from './registry';
export { createJob, dispatchJob, enqueueJob, findJob, jobView, recentJobs, type JobView } from './jobs';
export { startWorker, sweepJobs, type WorkerHandle } from './worker';
export { BOSS_SCHEMA, getBoss, stopBoss } from './queue';
export { cancelJob, isJobCancelled } from './cancel';
export { ganGeneration, memorisationCheck, queueRadiomicsForBatch, radiomicsDistance, type MemorisationCheckResult, type RadiomicsDistanceParams, type RadiomicsDistanceResult } from './kinds';
