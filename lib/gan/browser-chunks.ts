import crypto from 'node:crypto';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { ConflictError, UnprocessableError } from '@/lib/errors';
import { planGeneration } from './plan';
import { browserJob, discardChunks } from './browser-job';

/**
 * TensorFlow.js is loaded only when a chunk is checked or a job imported (the chunks route); starting a job and
 * handing out ranges (browser-job.ts) stay light, so those routes never load it into the web process (tests/architecture).
 */
const heavy = async () => {
  const [{ generateGrey, greyToPng }, { importGenerated }, { loadRegisteredCheckpoint }] = await Promise.all([import('./generate'), import('./generation-job'), import('./load')]);
  return { generateGrey, greyToPng, importGenerated, loadRegisteredCheckpoint };
};

/**
 * The chunk half of browser jobs (browser-job.ts hands out the ranges): a chunk is checked against the server's
 * regeneration of a random sample, kept, and once every range is done the job is imported in one transaction.
 */
export const CHECK_TOLERANCE = { maxAbs: 2, meanAbs: 0.5 } as const;

export type ChunkImage = { index: number; pixels: Uint8Array };
export type ChunkOutcome = { accepted: number; checked: number[]; maxDelta: number; meanDelta: number; jobStatus: string; progress: number };

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
  const after = await storeChunk(jobId, row, chunk.leaseToken, { pixels, backend: `browser:${chunk.backend}`, checkedBy: `server:${checkpoint.backend}`, checkedIndices, maxDelta, meanDelta });
  return { accepted: items.length, checked: checkedIndices, maxDelta, meanDelta, jobStatus: after.status, progress: after.progress };
}

type ChunkRecord = { pixels: Uint8Array; backend: string; checkedBy: string | null; checkedIndices: number[]; maxDelta: number | null; meanDelta: number | null };

/**
 * Keeps a range's images (a browser's checked chunk, or the worker's own: browser-takeover.ts) if the lease is
 * still the caller's, and imports the job when it was the last range.
 */
export async function storeChunk(jobId: string, row: { id: string }, leaseToken: string, record: ChunkRecord): Promise<{ status: string; progress: number }> {
  const prisma = getPrisma();
  const complete = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Job" WHERE id = ${jobId} FOR UPDATE`;
    const current = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, params: true } });
    if (current.status !== 'RUNNING') throw new ConflictError(`The job is ${current.status.toLowerCase()}; the chunk was not kept.`);
    const updated = await tx.generationChunk.updateMany({
      where: { id: row.id, leaseToken, status: 'LEASED' },
      data: { status: 'DONE', leaseToken: null, leaseExpiresAt: null, pixels: Buffer.from(record.pixels) as unknown as Uint8Array<ArrayBuffer>, backend: record.backend, checkedBy: record.checkedBy, checkedIndices: record.checkedIndices, maxDelta: record.maxDelta, meanDelta: record.meanDelta },
    });
    if (!updated.count) throw new ConflictError('This range was handed to another browser meanwhile; the chunk was not kept.');
    const doneRows = await tx.generationChunk.findMany({ where: { jobId, status: 'DONE' }, select: { start: true, end: true } });
    const doneImages = doneRows.reduce((n, r) => n + r.end - r.start, 0);
    const all = (current.params as { count: number }).count;
    await tx.job.update({ where: { id: jobId }, data: { progress: (0.9 * doneImages) / all, message: `${doneImages} of ${all} images generated and checked` } });
    return doneImages === all;
  });
  if (complete) await finishJob(jobId);
  return prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, progress: true } });
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

/** Every range done: one-transaction import with per-image provenance (the backend that made it: `browser:webgl`, `worker:wasm`…, and the one that checked it). */
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
      madeBy.set(index, { backend: row.backend, checkedBy: row.checkedBy, checkedSample: row.checkedIndices.includes(index), chunk: [row.start, row.end] });
    }
  }
  if (pngs.length !== items.length) throw new Error(`job ${jobId}: ${pngs.length} images in chunks for ${items.length} planned`);
  try {
    await prisma.job.update({ where: { id: jobId }, data: { progress: 0.92, message: `importing ${items.length} images` } });
    const result = await importGenerated({ jobId, createdById: job.createdById, checkpoint, params, items, pngs, madeBy: (item) => madeBy.get(item.index)! });
    const backends = [...new Set(rows.map((r) => r.backend))].join(', ');
    const checkers = [...new Set(rows.flatMap((r) => (r.checkedBy ? [r.checkedBy] : [])))].join(', ');
    await prisma.job.update({
      where: { id: jobId },
      data: {
        status: 'SUCCEEDED',
        progress: 1,
        finishedAt: new Date(),
        message: `${result.imported} images imported into ${result.poolKey}`,
        result: { batchId: result.batchId, poolKey: result.poolKey, imported: result.imported, duplicates: result.duplicates.length, checkpointId: checkpoint.id, backend: backends, checkedBy: checkers || null, resumed: false },
      },
    });
  } catch (error) {
    await prisma.job.update({ where: { id: jobId }, data: { status: 'FAILED', error: `the import failed: ${(error as Error).message}`, finishedAt: new Date() } });
    throw error;
  } finally {
    await discardChunks(jobId);
  }
}
