// Public face of lib/jobs: background work with a Job row per job that the pages poll.
// (Branch admin-uploads holds the pg-boss version of jobs.ts, worker.ts and this file; see jobs.ts.)
import './kinds';

export { defineJobKind, getJobKind, jobKinds, type JobContext, type JobKind } from './registry';
export { createJob, dispatchJob, enqueueJob, findJob, jobView, recentJobs, type JobView } from './jobs';
export { startWorker, type WorkerHandle } from './worker';
export { cancelJob, isJobCancelled } from './cancel';
export { ganGeneration } from './kinds';
