import type PgBoss from 'pg-boss';
import type { Job, Prisma } from '@/lib/generated/prisma/client';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { allowGpuBackend } from '@/lib/gan/backend';
import { takeOverIdleBrowserJobs } from '@/lib/gan/browser-takeover';
import { closeGeneratorThreads } from '@/lib/gan/threads';
import { dispatchJob } from './jobs';
import { getBoss, stopBoss } from './queue';
import './handlers';
import { jobHandlers, type JobKind } from './registry';
import { isJobCancelled } from './cancel';

/**
 * A worker takes jobs of every registered kind from pg-boss, one at a time, and keeps the Job row in step:
 * RUNNING with a heartbeat while it works, SUCCEEDED with the result, or QUEUED again (a retry is due) /
 * FAILED (retries used up) with the error.
 *
 * A killed worker leaves its row RUNNING with a heartbeat that stops. Every worker sweeps now and then:
 * such a job is failed in pg-boss, which retries it (JOB_RETRY_LIMIT), and the handler resumes — handlers
 * are written to be re-run without duplicating anything (see registry.ts). The sweep also sends rows that
 * never reached the queue. pg-boss's own expiry (JOB_EXPIRE_SECONDS) is the last resort; a handler stops
 * itself before it, so one job never runs twice at the same time because of it.
 *
 * Browser generation jobs are not queued; a worker also looks for those no browser works on
 * (GAN_BROWSER_IDLE_SECONDS) and generates their free ranges itself (lib/gan/browser-takeover.ts).
 */
export type WorkerHandle = { stop(): Promise<void>; sweep(): Promise<void> };
type QueueData = { jobId: string };

const PROGRESS_EVERY_MS = 250;

export async function startWorker(options: { log?: (line: string) => void; /** Only these kinds (the demo seed runs generation and checks only); all by default. */ kinds?: readonly string[] } = {}): Promise<WorkerHandle> {
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const config = getConfig();
  // GAN_BACKEND=webgpu applies to workers only (lib/gan/backend.ts).
  allowGpuBackend();
  const boss = await getBoss('worker');
  const running = new Set<AbortController>();
  const handlers = jobHandlers().filter((k) => !options.kinds || options.kinds.includes(k.kind));
  for (const kind of handlers) {
    await boss.work<QueueData>(kind.kind, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 }, async ([job]) => {
      const controller = new AbortController();
      running.add(controller);
      try {
        return await runJob(kind, job, controller, log);
      } finally {
        running.delete(controller);
      }
    });
  }
  const sweep = () => sweepJobs(boss, log).catch((error) => log(`sweep failed: ${(error as Error).message}`));
  await sweep();
  const timer = setInterval(() => void sweep(), config.JOB_MAINTENANCE_SECONDS * 1000);
  timer.unref();
  // One takeover pass at a time; a pass ends when no idle browser job has a free range.
  const takeover = new AbortController();
  let taking: Promise<unknown> | null = null;
  const takeOver = () => {
    taking ??= takeOverIdleBrowserJobs({ log, signal: takeover.signal })
      .catch((error) => takeover.signal.aborted || log(`browser-job takeover failed: ${(error as Error).message}`))
      .finally(() => (taking = null));
  };
  const takeoverTimer = setInterval(takeOver, Math.max(1, Math.min(config.JOB_MAINTENANCE_SECONDS, config.GAN_BROWSER_IDLE_SECONDS / 4)) * 1000);
  takeoverTimer.unref();
  log(`taking jobs: ${handlers.map((k) => k.kind).join(', ')}`);
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      clearInterval(takeoverTimer);
      takeover.abort(new Error('the worker is shutting down'));
      for (const controller of running) controller.abort(new Error('the worker is shutting down'));
      await taking;
      await stopBoss();
      // The jobs are stopped: their generator threads go too (an in-process worker, e.g. npm start's demo seed, ends).
      await closeGeneratorThreads();
    },
  };
}

async function runJob(kind: JobKind, job: PgBoss.JobWithMetadata<QueueData>, controller: AbortController, log: (line: string) => void): Promise<object> {
  const prisma = getPrisma();
  const config = getConfig();
  const row = await prisma.job.findUnique({ where: { id: job.data.jobId } });
  // Already done (a duplicate delivery) or removed: nothing to do, and nothing to duplicate.
  if (!row || row.status === 'SUCCEEDED' || row.status === 'CANCELLED') return { skipped: true };
  const attempt = row.attempts + 1;
  await prisma.job.update({
    where: { id: row.id },
    data: {
      status: 'RUNNING',
      attempts: attempt,
      startedAt: row.startedAt ?? new Date(),
      heartbeatAt: new Date(),
      error: null,
      message: attempt > 1 ? `resuming (attempt ${attempt})` : 'started',
    },
  });
  log(`${kind.kind} ${row.id}: attempt ${attempt}`);
  const heartbeat = setInterval(
    () => void prisma.job.update({ where: { id: row.id }, data: { heartbeatAt: new Date() } }).catch(() => undefined),
    Math.min(5000, (config.JOB_STALE_SECONDS * 1000) / 3),
  );
  // Stop before pg-boss gives up on us (it would retry while we still run).
  const deadline = setTimeout(() => controller.abort(new Error('the job ran out of time; it resumes on retry')), Math.max(1, Number(job.expireInSeconds) - 15) * 1000);
  let lastProgress = 0;
  try {
    const params = kind.params.parse(row.params);
    const result = await kind.run({
      jobId: row.id,
      params,
      attempt,
      createdAt: row.createdAt,
      signal: controller.signal,
      async progress(fraction, message) {
        const now = Date.now();
        if (fraction < 1 && now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        await prisma.job.update({
          where: { id: row.id },
          data: { progress: Math.max(0, Math.min(1, fraction)), heartbeatAt: new Date(), ...(message !== undefined && { message }) },
        });
      },
    });
    await prisma.job.update({
      where: { id: row.id },
      data: { status: 'SUCCEEDED', progress: 1, result: (result ?? {}) as Prisma.InputJsonValue, message: 'done', finishedAt: new Date(), heartbeatAt: null },
    });
    log(`${kind.kind} ${row.id}: done`);
    return { ok: true };
  } catch (error) {
    // Cancelled from the admin page while running: it stays cancelled and is not retried.
    if (await isJobCancelled(row.id)) {
      log(`${kind.kind} ${row.id}: cancelled`);
      return { cancelled: true };
    }
    const message = error instanceof Error ? error.message : String(error);
    const isFinal = job.retryCount >= job.retryLimit;
    await prisma.job.update({
      where: { id: row.id },
      data: isFinal
        ? { status: 'FAILED', error: message, message: 'failed', finishedAt: new Date(), heartbeatAt: null }
        : { status: 'QUEUED', error: message, message: `attempt ${attempt} failed; retrying`, heartbeatAt: null },
    });
    log(`${kind.kind} ${row.id}: attempt ${attempt} failed: ${message}`);
    throw error;
  } finally {
    clearInterval(heartbeat);
    clearTimeout(deadline);
  }
}

/** Retries jobs whose worker died, sends rows that never reached the queue, closes rows the queue gave up on. */
export async function sweepJobs(boss: PgBoss, log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  const config = getConfig();
  const now = Date.now();
  const stale = await prisma.job.findMany({ where: { status: 'RUNNING', heartbeatAt: { lt: new Date(now - config.JOB_STALE_SECONDS * 1000) } } });
  for (const row of stale) {
    log(`${row.kind} ${row.id}: no heartbeat for ${config.JOB_STALE_SECONDS} s; its worker stopped, so it is retried`);
    await boss.fail(row.kind, row.queueJobId, { message: 'the worker running it stopped' });
    await settleFromQueue(boss, row, 'the worker running it stopped; retrying');
  }
  const waiting = await prisma.job.findMany({ where: { status: 'QUEUED', updatedAt: { lt: new Date(now - 5000) } } });
  for (const row of waiting) {
    const queued = await boss.getJobById(row.kind, row.queueJobId, { includeArchive: true });
    if (!queued) {
      log(`${row.kind} ${row.id}: not in the queue yet; sending it`);
      await dispatchJob(row);
    } else {
      await settleFromQueue(boss, row, null);
    }
  }
}

async function settleFromQueue(boss: PgBoss, row: Job, retryMessage: string | null): Promise<void> {
  const queued = await boss.getJobById(row.kind, row.queueJobId, { includeArchive: true });
  const prisma = getPrisma();
  if (queued?.state === 'failed') {
    const output = queued.output as { message?: string; value?: { message?: string } } | null;
    const reason = output?.message ?? output?.value?.message ?? 'failed in the queue';
    await prisma.job.update({ where: { id: row.id }, data: { status: 'FAILED', error: row.error ?? reason, message: 'failed', finishedAt: new Date(), heartbeatAt: null } });
  } else if (retryMessage) {
    await prisma.job.update({ where: { id: row.id }, data: { status: 'QUEUED', message: retryMessage, heartbeatAt: null } });
  }
}
