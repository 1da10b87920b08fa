import crypto from 'node:crypto';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { ConflictError, NotFoundError, UnprocessableError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { GenerationItem } from './generate';
import { planGeneration, type GenerationParams } from './plan';

/**
 * TensorFlow.js is loaded only when a chunk is checked or a job imported (the chunks route); starting a job and
 * handing out ranges stay light, so those routes never load it into the web process (tests/architecture).
 */
const heavy = async () => {
  const [{ generateGrey, greyToPng }, { importGenerated }, { loadRegisteredCheckpoint }] = await Promise.all([import('./generate'), import('./generation-job'), import('./load')]);
  return { generateGrey, greyToPng, importGenerated, loadRegisteredCheckpoint };
};

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
 */
export const CHECK_TOLERANCE = { maxAbs: 2, meanAbs: 0.5 } as const;
export const BROWSER_RUNNER = 'browser';

export type BrowserJobParams = GenerationParams & { runner: typeof BROWSER_RUNNER };
export type Lease =
  | { kind: 'range'; leaseToken: string; start: number; end: number; items: GenerationItem[]; expiresAt: string; seed: number; truncation: number | null; checkpoint: LeaseCheckpoint }
  | { kind: 'wait'; retryMs: number; message: string }
  | { kind: 'finished'; status: string; error: string | null };
/** What a browser needs to run the checkpoint (its files come from /api/admin/checkpoints/:id/files). */
export type LeaseCheckpoint = { id: string; resolution: number; latentDim: number; labels: string[]; outputRange: [number, number] };
export type ChunkImage = { index: number; pixels: Uint8Array };
export type ChunkOutcome = { accepted: number; checked: number[]; maxDelta: number; meanDelta: number; jobStatus: string; progress: number };

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

async function browserJob(jobId: string) {
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

/** k distinct indices of [0, n), uniformly at random (partial Fisher–Yates on crypto randomness). */
export function sampleIndices(n: number, fraction: number): number[] {
  const k = Math.min(n, Math.max(2, Math.ceil(fraction * n)));
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + crypto.randomInt(n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}

export function pixelDelta(a: Uint8Array, b: Uint8Array): { maxAbs: number; meanAbs: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) max = d;
    sum += d;
  }
  return { maxAbs: max, meanAbs: sum / a.length };
}

/**
 * A browser's chunk: checked (lease, indices, sizes, a regenerated sample), kept until every range is done,
 * then the whole job is imported in one transaction. A refused chunk fails the job and discards everything.
 */
export async function submitChunk(jobId: string, chunk: { leaseToken: string; backend: string; images: ChunkImage[] }): Promise<ChunkOutcome> {
  const { generateGrey, loadRegisteredCheckpoint } = await heavy();
  const { job, params } = await browserJob(jobId);
  const prisma = getPrisma();
  const config = getConfig();
  if (job.status !== 'RUNNING') {
    await discardChunks(jobId);
    throw new ConflictError(`The job is ${job.status.toLowerCase()}; the chunk was not kept.`);
  }
  const row = await prisma.generationChunk.findFirst({ where: { jobId, leaseToken: chunk.leaseToken, status: 'LEASED' } });
  if (!row) throw new ConflictError('This range is no longer yours (its lease expired and it was handed to another browser, or it is done); the chunk was not kept. Ask for a new range.');
  const checkpoint = await loadRegisteredCheckpoint(params.checkpointId);
  const side = checkpoint.manifest.resolution;
  const items = planGeneration(params, checkpoint.manifest.labels, config.GAN_MAX_IMAGES_PER_JOB).slice(row.start, row.end);

  const expected = items.map((i) => i.index).join(',');
  const got = chunk.images.map((i) => i.index).join(',');
  if (expected !== got) return refuse(jobId, `the chunk for images ${row.start}–${row.end - 1} holds indices [${shorten(got)}], not exactly the leased range`);
  const badSize = chunk.images.find((i) => i.pixels.length !== side * side);
  if (badSize) return refuse(jobId, `image ${badSize.index} has ${badSize.pixels.length} pixels; the checkpoint makes ${side}×${side} = ${side * side}`);

  const sample = sampleIndices(items.length, config.GAN_BROWSER_CHECK_FRACTION);
  const regenerated = await generateGrey(checkpoint, sample.map((i) => items[i]), { seed: params.seed, truncation: params.truncation, batchSize: config.GAN_BATCH_SIZE });
  let maxDelta = 0;
  let meanDelta = 0;
  for (const [k, i] of sample.entries()) {
    const delta = pixelDelta(chunk.images[i].pixels, regenerated[k]);
    maxDelta = Math.max(maxDelta, delta.maxAbs);
    meanDelta = Math.max(meanDelta, delta.meanAbs);
    if (delta.maxAbs > CHECK_TOLERANCE.maxAbs || delta.meanAbs > CHECK_TOLERANCE.meanAbs) {
      return refuse(
        jobId,
        `image ${items[i].index} differs from the server's regeneration on ${checkpoint.backend} (max |Δ| ${delta.maxAbs} grey levels, mean |Δ| ${delta.meanAbs.toFixed(2)}; tolerance max ${CHECK_TOLERANCE.maxAbs}, mean ${CHECK_TOLERANCE.meanAbs})`,
      );
    }
  }

  const pixels = new Uint8Array(items.length * side * side);
  chunk.images.forEach((image, i) => pixels.set(image.pixels, i * side * side));
  const checkedIndices = sample.map((i) => items[i].index);
  const complete = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Job" WHERE id = ${jobId} FOR UPDATE`;
    const current = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (current.status !== 'RUNNING') throw new ConflictError(`The job is ${current.status.toLowerCase()}; the chunk was not kept.`);
    const updated = await tx.generationChunk.updateMany({
      where: { id: row.id, leaseToken: chunk.leaseToken, status: 'LEASED' },
      data: { status: 'DONE', leaseToken: null, leaseExpiresAt: null, pixels: Buffer.from(pixels) as unknown as Uint8Array<ArrayBuffer>, backend: chunk.backend, checkedBy: checkpoint.backend, checkedIndices, maxDelta, meanDelta },
    });
    if (!updated.count) throw new ConflictError('This range was handed to another browser meanwhile; the chunk was not kept.');
    const doneRows = await tx.generationChunk.findMany({ where: { jobId, status: 'DONE' }, select: { start: true, end: true } });
    const doneImages = doneRows.reduce((n, r) => n + r.end - r.start, 0);
    const all = params.count;
    await tx.job.update({ where: { id: jobId }, data: { progress: (0.9 * doneImages) / all, message: `${doneImages} of ${all} images generated in browsers and checked` } });
    return doneImages === all;
  });
  if (complete) await finishJob(jobId);
  const after = await prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, progress: true } });
  return { accepted: items.length, checked: checkedIndices, maxDelta, meanDelta, jobStatus: after.status, progress: after.progress };
}

function shorten(list: string): string {
  return list.length > 80 ? `${list.slice(0, 77)}…` : list;
}

async function refuse(jobId: string, reason: string): Promise<never> {
  const message = `Chunk refused: ${reason}. The job failed and none of its images were kept.`;
  await getPrisma().job.updateMany({ where: { id: jobId, status: 'RUNNING' }, data: { status: 'FAILED', error: message, message: 'a chunk failed the server check', finishedAt: new Date() } });
  await discardChunks(jobId);
  throw new UnprocessableError(message);
}

async function discardChunks(jobId: string): Promise<void> {
  await getPrisma().generationChunk.deleteMany({ where: { jobId } });
}

/** Every range done: one-transaction import with per-image provenance (made by the browser's backend, checked by the server's). */
async function finishJob(jobId: string): Promise<void> {
  const { greyToPng, importGenerated, loadRegisteredCheckpoint } = await heavy();
  const prisma = getPrisma();
  const { job, params } = await browserJob(jobId);
  const checkpoint = await loadRegisteredCheckpoint(params.checkpointId);
  const side = checkpoint.manifest.resolution;
  const items = planGeneration(params, checkpoint.manifest.labels, getConfig().GAN_MAX_IMAGES_PER_JOB);
  const rows = await prisma.generationChunk.findMany({ where: { jobId, status: 'DONE' }, orderBy: { start: 'asc' } });
  const pngs: Uint8Array[] = [];
  const madeBy = new Map<number, Record<string, unknown>>();
  for (const row of rows) {
    const pixels = new Uint8Array(row.pixels!);
    for (let index = row.start; index < row.end; index++) {
      const at = (index - row.start) * side * side;
      pngs.push(greyToPng(pixels.subarray(at, at + side * side), side));
      madeBy.set(index, { backend: `browser:${row.backend}`, checkedBy: `server:${row.checkedBy}`, checkedSample: row.checkedIndices.includes(index), chunk: [row.start, row.end] });
    }
  }
  if (pngs.length !== items.length) throw new Error(`job ${jobId}: ${pngs.length} images in chunks for ${items.length} planned`);
  try {
    await prisma.job.update({ where: { id: jobId }, data: { progress: 0.92, message: `importing ${items.length} images` } });
    const result = await importGenerated({ jobId, createdById: job.createdById, checkpoint, params, items, pngs, madeBy: (item) => madeBy.get(item.index)! });
    const backends = [...new Set(rows.map((r) => r.backend))].join(', ');
    await prisma.job.update({
      where: { id: jobId },
      data: {
        status: 'SUCCEEDED',
        progress: 1,
        finishedAt: new Date(),
        message: `${result.imported} images imported into ${result.poolKey}`,
        result: { batchId: result.batchId, poolKey: result.poolKey, imported: result.imported, duplicates: result.duplicates.length, checkpointId: checkpoint.id, backend: `browser:${backends}`, checkedBy: `server:${checkpoint.backend}`, resumed: false },
      },
    });
  } catch (error) {
    await prisma.job.update({ where: { id: jobId }, data: { status: 'FAILED', error: `the import failed: ${(error as Error).message}`, finishedAt: new Date() } });
    throw error;
  } finally {
    await discardChunks(jobId);
  }
}
