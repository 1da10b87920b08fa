import pg from 'pg';
import type { Job, Prisma } from '@/lib/generated/prisma/client';
import { databaseUrl, getPrisma } from '@/lib/db/client';
import { jobKinds, type JobKind } from './registry';

/**
 * STAND-IN until branch admin-uploads (pg-boss workers with heartbeats and retries) is merged; same
 * `startWorker` face. A worker polls the Job table for QUEUED jobs of the registered kinds — and RUNNING
 * ones whose worker died — and claims one with a session advisory lock on its own connection: the lock
 * is what says "a live worker has this job", and Postgres drops it the moment that worker's connection
 * goes (crash, kill -9). So a killed worker's job is taken up again by the next worker, and handlers are
 * written to be re-run (registry.ts).
 */
export type WorkerHandle = { stop(): Promise<void>; sweep(): Promise<void> };

const POLL_MS = Number(process.env.JOB_POLL_MS ?? 1000);
const PROGRESS_EVERY_MS = 250;
const CANCEL_CHECK_MS = 1000;
const LOCK_NAMESPACE = 0x6a6f6273; // "jobs"

export async function startWorker(options: { log?: (line: string) => void } = {}): Promise<WorkerHandle> {
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const locks = new pg.Client({ connectionString: databaseUrl(), application_name: 'reader-study-worker' });
  await locks.connect();
  const kinds = new Map(jobKinds().map((k) => [k.kind, k]));
  let stopping = false;
  let current: { controller: AbortController; done: Promise<void> } | null = null;

  const tryClaim = async (id: string) => (await locks.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_NAMESPACE, id])).rows[0].ok;
  const release = (id: string) => locks.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, id]);

  const sweep = async () => {
    if (stopping || current) return;
    const candidates = await getPrisma().job.findMany({
      where: { kind: { in: [...kinds.keys()] }, status: { in: ['QUEUED', 'RUNNING'] } },
      orderBy: { createdAt: 'asc' },
      take: 20,
    });
    for (const candidate of candidates) {
      if (stopping || !(await tryClaim(candidate.id))) continue;
      const row = await getPrisma().job.findUnique({ where: { id: candidate.id } });
      if (!row || (row.status !== 'QUEUED' && row.status !== 'RUNNING')) {
        await release(candidate.id);
        continue;
      }
      const controller = new AbortController();
      const done = runJob(kinds.get(row.kind)!, row, controller, log).finally(async () => {
        await release(row.id).catch(() => undefined);
        current = null;
      });
      current = { controller, done };
      return;
    }
  };

  let polling = Promise.resolve();
  const timer = setInterval(() => {
    polling = polling.then(sweep).catch((error) => log(`poll failed: ${(error as Error).message}`));
  }, POLL_MS);
  log(`taking jobs: ${[...kinds.keys()].join(', ')}`);
  return {
    sweep: () => (polling = polling.then(sweep)),
    async stop() {
      stopping = true;
      clearInterval(timer);
      current?.controller.abort(new Error('the worker is shutting down'));
      await polling.catch(() => undefined);
      await current?.done.catch(() => undefined);
      await locks.end().catch(() => undefined);
    },
  };
}

async function runJob(kind: JobKind, row: Job, controller: AbortController, log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  const isResume = row.status === 'RUNNING';
  await prisma.job.updateMany({ where: { id: row.id, status: { in: ['QUEUED', 'RUNNING'] } }, data: { status: 'RUNNING', startedAt: row.startedAt ?? new Date(), error: null } });
  log(`${kind.kind} ${row.id}: ${isResume ? 'resuming (its worker stopped)' : 'started'}`);
  const cancelWatch = setInterval(() => {
    void prisma.job
      .findUnique({ where: { id: row.id }, select: { status: true } })
      .then((r) => r?.status === 'CANCELLED' && controller.abort(new Error('the job was cancelled')))
      .catch(() => undefined);
  }, CANCEL_CHECK_MS);
  let lastProgress = 0;
  try {
    const result = await kind.run({
      jobId: row.id,
      params: kind.params.parse(row.params),
      attempt: isResume ? 2 : 1,
      createdAt: row.createdAt,
      signal: controller.signal,
      async progress(fraction) {
        const now = Date.now();
        if (fraction < 1 && now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        await prisma.job.updateMany({ where: { id: row.id, status: 'RUNNING' }, data: { progress: Math.max(0, Math.min(1, fraction)) } });
      },
    });
    await prisma.job.updateMany({
      where: { id: row.id, status: 'RUNNING' },
      data: { status: 'SUCCEEDED', progress: 1, result: (result ?? {}) as Prisma.InputJsonValue, finishedAt: new Date() },
    });
    log(`${kind.kind} ${row.id}: done`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const now = await prisma.job.findUnique({ where: { id: row.id }, select: { status: true } });
    if (now?.status === 'CANCELLED') log(`${kind.kind} ${row.id}: cancelled`);
    else if (controller.signal.aborted) log(`${kind.kind} ${row.id}: stopped (${message}); the next worker resumes it`);
    else {
      await prisma.job.updateMany({ where: { id: row.id, status: 'RUNNING' }, data: { status: 'FAILED', error: message, finishedAt: new Date() } });
      log(`${kind.kind} ${row.id}: failed: ${message}`);
    }
  } finally {
    clearInterval(cancelWatch);
  }
}
