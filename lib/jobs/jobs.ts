import type { Job, Prisma } from '@/lib/generated/prisma/client';
import { getPrisma } from '@/lib/db/client';
import { getJobKind } from './registry';

/**
 * STAND-IN until branch admin-uploads (lib/jobs on pg-boss) is merged: the same functions and signatures,
 * over the Job table alone (workers poll it: see worker.ts). On merge, take admin-uploads' version of this
 * file, index.ts and worker.ts; callers (routes, kinds) need no change.
 */
type Db = Pick<Prisma.TransactionClient, 'job'>;

export async function createJob(
  kind: string,
  params: unknown,
  options: { createdById?: string | null; batchId?: string | null; db?: Db } = {},
): Promise<Job> {
  const definition = getJobKind(kind);
  if (!definition) throw new Error(`unknown job kind "${kind}"`);
  const valid = definition.params.parse(params) as Prisma.InputJsonValue;
  return (options.db ?? getPrisma()).job.create({ data: { kind, params: valid, createdById: options.createdById ?? null } });
}

/** Workers poll the Job table, so a created row is already queued. */
export async function dispatchJob(_job: Pick<Job, 'id' | 'kind'>): Promise<boolean> {
  return true;
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
  const result = job.result as { batchId?: string } | null;
  return {
    id: job.id,
    kind: job.kind,
    title: getJobKind(job.kind)?.title ?? job.kind,
    status: job.status,
    progress: job.progress,
    message: null,
    error: job.error,
    result: job.result,
    attempts: job.startedAt ? 1 : 0,
    batchId: result?.batchId ?? null,
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
