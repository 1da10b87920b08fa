import crypto from 'node:crypto';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { GenerationItem } from './generate';
import { planGeneration, type GenerationParams } from './plan';

/**
 * A generation job run in admins' browsers (tfjs WebGPU / WebGL on their GPUs). The job row is the same as a
 * worker's (status, progress, cancel, one-transaction import, provenance); it is never queued. The server
 * hands out latent ranges [start, end) as leases (GenerationChunk rows): a range is given to one browser at a
 * time, and handed out again when its lease expires (a closed tab), so no index is made twice or left out.
 *
 * The server does not take a browser's pixels on trust: for every chunk it regenerates a random sample — at
 * least GAN_BROWSER_CHECK_FRACTION (≥ 2 %) and at least 2 images — from the same checkpoint, seed, index and
 * labels on its own backend and compares 8-bit pixels. Past the tolerance (max |Δ| > 2 grey levels or mean |Δ|
 * > 0.5 in any sampled image) or with indices that are not exactly the leased range, the chunk is refused,
 * the job fails and every chunk of it is deleted: nothing is kept. Different GPUs and backends round floats
 * differently, hence a tolerance rather than byte equality.
 *
 * This file is the light half (starting a job, leasing ranges), loaded by the web process without TensorFlow.js;
 * checking and storing chunks and the final import are in browser-chunks.ts, the worker's takeover of a job no
 * browser works on in browser-takeover.ts.
 */
export const BROWSER_RUNNER = 'browser';

export type BrowserJobParams = GenerationParams & { runner: typeof BROWSER_RUNNER };
export type Lease =
  | { kind: 'range'; leaseToken: string; start: number; end: number; items: GenerationItem[]; expiresAt: string; seed: number; truncation: number | null; checkpoint: LeaseCheckpoint }
  | { kind: 'wait'; retryMs: number; message: string }
  | { kind: 'finished'; status: string; error: string | null };
/** What a browser needs to run the checkpoint (its files come from /api/admin/checkpoints/:id/files). */
export type LeaseCheckpoint = { id: string; resolution: number; latentDim: number; labels: string[]; outputRange: [number, number] };

export async function startBrowserGenerationJob(params: GenerationParams, createdById: string | null): Promise<{ id: string }> {
  const checkpoint = await getPrisma().checkpoint.findUnique({ where: { id: params.checkpointId }, select: { labels: true } });
  if (!checkpoint) throw new NotFoundError('There is no such checkpoint.');
  planGeneration(params, checkpoint.labels, getConfig().GAN_MAX_IMAGES_PER_JOB);
  return getPrisma().job.create({
    data: {
      kind: 'gan-generation',
      params: { ...params, runner: BROWSER_RUNNER } as Prisma.InputJsonValue,
      // Never sent to the queue: the id only has to be unique.
      queueJobId: crypto.randomUUID(),
      status: 'RUNNING',
      startedAt: new Date(),
      message: 'waiting for a browser to take a range',
      createdById,
    },
    select: { id: true },
  });
}

export function isBrowserJob(params: unknown): boolean {
  return (params as { runner?: unknown } | null)?.runner === BROWSER_RUNNER;
}

export async function browserJob(jobId: string) {
  const job = await getPrisma().job.findUnique({ where: { id: jobId } });
  if (!job || job.kind !== 'gan-generation' || !isBrowserJob(job.params)) throw new NotFoundError('There is no such browser generation job.');
  const { runner: _, ...params } = job.params as BrowserJobParams;
  return { job, params: params as GenerationParams };
}

/** The job's ranges, in index order: [0, n), [n, 2n), … */
export function jobRanges(count: number, size: number): Array<{ start: number; end: number }> {
  const ranges = [];
  for (let start = 0; start < count; start += size) ranges.push({ start, end: Math.min(count, start + size) });
  return ranges;
}

async function checkpointFacts(checkpointId: string): Promise<LeaseCheckpoint> {
  const checkpoint = await getPrisma().checkpoint.findUniqueOrThrow({ where: { id: checkpointId }, select: { labels: true, resolution: true, latentDim: true, manifest: true } });
  return {
    id: checkpointId,
    resolution: checkpoint.resolution,
    latentDim: checkpoint.latentDim,
    labels: checkpoint.labels,
    outputRange: ((checkpoint.manifest as { outputRange?: [number, number] }).outputRange ?? [-1, 1]) as [number, number],
  };
}

/**
 * What a browser loads (and warms up) before it asks for its first range, so that the lease clock never runs
 * while a cold GPU compiles its shaders.
 */
export async function browserJobCheckpoint(jobId: string): Promise<LeaseCheckpoint> {
  const { params } = await browserJob(jobId);
  return checkpointFacts(params.checkpointId);
}

/** Hands the caller the first range nobody holds (never leased, or its lease expired), under a lock on the job row. */
export async function leaseRange(jobId: string, leasedById: string | null): Promise<Lease> {
  const { job, params } = await browserJob(jobId);
  const config = getConfig();
  if (job.status !== 'RUNNING') {
    await discardChunks(jobId);
    return { kind: 'finished', status: job.status, error: job.error };
  }
  const facts = await checkpointFacts(params.checkpointId);
  const items = planGeneration(params, facts.labels, config.GAN_MAX_IMAGES_PER_JOB);
  const ranges = jobRanges(items.length, config.GAN_BROWSER_CHUNK_IMAGES);
  return getPrisma().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Job" WHERE id = ${jobId} FOR UPDATE`;
    const rows = await tx.generationChunk.findMany({ where: { jobId }, select: { start: true, status: true, leaseExpiresAt: true } });
    const byStart = new Map(rows.map((r) => [r.start, r]));
    const now = new Date();
    const free = ranges.find((r) => {
      const row = byStart.get(r.start);
      return !row || (row.status === 'LEASED' && row.leaseExpiresAt !== null && row.leaseExpiresAt < now);
    });
    if (!free) {
      const held = rows.filter((r) => r.status === 'LEASED');
      const next = Math.min(...held.map((r) => r.leaseExpiresAt?.getTime() ?? now.getTime() + 1000));
      return { kind: 'wait', retryMs: Math.max(250, Math.min(5000, next - now.getTime())), message: `all ranges are taken (${held.length} being generated in other browsers)` } as Lease;
    }
    const leaseToken = crypto.randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + config.GAN_BROWSER_LEASE_SECONDS * 1000);
    await tx.generationChunk.upsert({
      where: { jobId_start: { jobId, start: free.start } },
      create: { jobId, start: free.start, end: free.end, leaseToken, leaseExpiresAt: expiresAt, leasedById },
      update: { leaseToken, leaseExpiresAt: expiresAt, leasedById },
    });
    return { kind: 'range', leaseToken, start: free.start, end: free.end, items: items.slice(free.start, free.end), expiresAt: expiresAt.toISOString(), seed: params.seed, truncation: params.truncation ?? null, checkpoint: facts } as Lease;
  });
}

export async function discardChunks(jobId: string): Promise<void> {
  await getPrisma().generationChunk.deleteMany({ where: { jobId } });
}
