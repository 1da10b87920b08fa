import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import { storeChunk } from './browser-chunks';
import { BROWSER_RUNNER, leaseRange } from './browser-job';
import { loadRegisteredCheckpoint } from './load';
import { generateOnThreads } from './threads';

/**
 * The server's worker runs browser jobs nobody takes in a browser (issue 14 §1). A browser job is idle when no
 * range of it is leased now and nothing happened to it — started, a range leased, a lease run out, a chunk
 * stored — for GAN_BROWSER_IDLE_SECONDS. The worker then takes its free ranges through the same leases as a
 * browser (browser-job.ts), one at a time, makes them on its own backend and stores them as chunks
 * (browser-chunks.ts), so the last range imports the job as a browser's would. A browser that joins meanwhile
 * is handed only ranges nobody holds, and a range the worker holds is never handed out twice; images the worker
 * made need no second opinion and name it in their provenance (`worker:wasm`, not checked).
 */
export type TakeoverLog = (line: string) => void;

/** Browser jobs that are RUNNING and idle (see above) at `now`. */
export async function idleBrowserJobs(now = new Date()): Promise<string[]> {
  const prisma = getPrisma();
  const idleMs = getConfig().GAN_BROWSER_IDLE_SECONDS * 1000;
  const jobs = await prisma.job.findMany({
    where: { kind: 'gan-generation', status: 'RUNNING', params: { path: ['runner'], equals: BROWSER_RUNNER } },
    select: { id: true, startedAt: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });
  const idle: string[] = [];
  for (const job of jobs) {
    const chunks = await prisma.generationChunk.findMany({ where: { jobId: job.id }, select: { status: true, leaseExpiresAt: true, updatedAt: true } });
    if (chunks.some((c) => c.status === 'LEASED' && c.leaseExpiresAt !== null && c.leaseExpiresAt > now)) continue;
    const lastActivity = Math.max((job.startedAt ?? job.createdAt).getTime(), ...chunks.map((c) => Math.max(c.updatedAt.getTime(), c.leaseExpiresAt?.getTime() ?? 0)));
    if (now.getTime() - lastActivity >= idleMs) idle.push(job.id);
  }
  return idle;
}

/**
 * Works on one browser job until no range is free (done, or the rest held by browsers), the job stops, or
 * `signal` aborts. Returns how many images this worker made.
 */
export async function workOnBrowserJob(jobId: string, options: { log?: TakeoverLog; signal?: AbortSignal } = {}): Promise<number> {
  const log = options.log ?? (() => undefined);
  const config = getConfig();
  let made = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const lease = await leaseRange(jobId, null);
    if (lease.kind !== 'range') break;
    if (made === 0) {
      await getPrisma().job.updateMany({ where: { id: jobId, status: 'RUNNING' }, data: { message: `no browser took it for ${config.GAN_BROWSER_IDLE_SECONDS} s: the server's worker is generating it` } });
      log(`gan-generation ${jobId}: no browser for ${config.GAN_BROWSER_IDLE_SECONDS} s; the worker takes its free ranges`);
    }
    const checkpoint = await loadRegisteredCheckpoint(lease.checkpoint.id);
    const greys = await generateOnThreads(checkpoint, lease.items, { seed: lease.seed, truncation: lease.truncation ?? undefined, batchSize: config.GAN_BATCH_SIZE });
    const side = checkpoint.manifest.resolution;
    const pixels = new Uint8Array(greys.length * side * side);
    greys.forEach((grey, i) => pixels.set(grey, i * side * side));
    const row = await getPrisma().generationChunk.findFirst({ where: { jobId, leaseToken: lease.leaseToken, status: 'LEASED' }, select: { id: true } });
    try {
      if (!row) throw new ConflictError('the lease ran out while the worker generated');
      await storeChunk(jobId, row, lease.leaseToken, { pixels, backend: `worker:${checkpoint.backend}`, checkedBy: null, checkedIndices: [], maxDelta: null, meanDelta: null });
      made += lease.end - lease.start;
    } catch (error) {
      // The lease ran out (another holder has the range now) or the job stopped: ask again, which says which.
      if (!(error instanceof ConflictError)) throw error;
      log(`gan-generation ${jobId}: range ${lease.start}–${lease.end - 1} not kept: ${error.message}`);
    }
  }
  if (made) log(`gan-generation ${jobId}: the worker made ${made} images`);
  return made;
}

/** One pass of a worker: every idle browser job, oldest first. */
export async function takeOverIdleBrowserJobs(options: { log?: TakeoverLog; signal?: AbortSignal } = {}): Promise<number> {
  let made = 0;
  for (const jobId of await idleBrowserJobs()) made += await workOnBrowserJob(jobId, options);
  return made;
}
