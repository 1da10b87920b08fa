import crypto from 'node:crypto';
import type { Job, Prisma } from '@/lib/generated/prisma/client';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { getBoss } from './queue';
import { getJobKind } from './registry';

type Db = Pick<Prisma.TransactionClient, 'job'>;

/**
 * Our own row per job is the truth the pages poll (status, progress, message, result); pg-boss only
 * carries `{ jobId }`. The row is written first — in the caller's transaction when there is one, so an
 * upload and the check of its images commit together — and sent to the queue after the commit. A row
 * that never reached the queue (the process died in between) is sent by a worker's sweep; `queueJobId`
 * makes sending twice harmless.
 */
export async function createJob(
  kind: string,
  params: unknown,
  options: { createdById?: string | null; batchId?: string | null; db?: Db; /** A fixed id (the demo seed's jobs, found again on the next start); random by default. */ id?: string } = {},
): Promise<Job> {
  const definition = getJobKind(kind);
  if (!definition) throw new Error(`unknown job kind "${kind}"`);
  const valid = definition.params.parse(params) as Prisma.InputJsonValue;
  return (options.db ?? getPrisma()).job.create({
    data: {
      ...(options.id && { id: options.id }),
      kind,
      params: valid,
      queueJobId: crypto.randomUUID(),
      createdById: options.createdById ?? null,
      batchId: options.batchId ?? null,
      message: 'waiting for a worker',
    },
  });
}

/** Sends a QUEUED row to pg-boss; safe to call again for the same row. Returns false when the queue is unreachable. */
export async function dispatchJob(job: Pick<Job, 'id' | 'kind' | 'queueJobId'>): Promise<boolean> {
  const config = getConfig();
  try {
    const boss = await getBoss();
    await boss.send(job.kind, { jobId: job.id }, {
      id: job.queueJobId,
      retryLimit: config.JOB_RETRY_LIMIT,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: config.JOB_EXPIRE_SECONDS,
    });
    return true;
  } catch (error) {
    // The row stays QUEUED; a worker's sweep sends it later.
    console.error(`[jobs] could not queue job ${job.id}: ${(error as Error).message}`);
    return false;
  }
}

export async function enqueueJob(kind: string, params: unknown, options: { createdById?: string | null; batchId?: string | null } = {}): Promise<Job> {
  const job = await createJob(kind, params, options);
  await dispatchJob(job);
  return job;
}

export type JobView = {
  id: string;
  kind: string;
  title: string;
  status: Job['status'];
  params: unknown;
  progress: number;
  message: string | null;
  error: string | null;
  result: unknown;
  attempts: number;
  batchId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function jobView(job: Job): JobView {
  return {
    id: job.id,
    kind: job.kind,
    title: getJobKind(job.kind)?.title ?? job.kind,
    status: job.status,
    params: job.params,
    progress: job.progress,
    message: job.message,
    error: job.error,
    result: job.result,
    attempts: job.attempts,
    batchId: job.batchId,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export async function recentJobs(limit = 20): Promise<JobView[]> {
  const jobs = await getPrisma().job.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  return jobs.map(jobView);
}

export async function findJob(id: string): Promise<JobView | null> {
  const job = await getPrisma().job.findUnique({ where: { id } });
  return job ? jobView(job) : null;
}
