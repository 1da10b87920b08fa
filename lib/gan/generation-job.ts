import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { importBatch, poolKeyFor } from '@/lib/pools/import';
import type { ManifestRow } from '@/lib/pools/manifest';
import type { LoadedCheckpoint } from './checkpoint';
import { greyToPng, type GenerationItem } from './generate';
import { planGeneration, type GenerationParams } from './plan';
import { loadRegisteredCheckpoint } from './load';
import { generateOnThreads, threadCount } from './threads';

/**
 * One generation job: make the planned images in chunks (progress after each, cancellable between
 * chunks), then import them as ONE batch in one transaction (lib/pools/import: pipeline, canonical PNG,
 * sha256) into the pool of the checkpoint's modality and resolution, with per-image provenance.
 *
 * Safe to run again after a crash: nothing is stored before the final transaction, and the batch records
 * the job (`source = gan-job:<id>`), so a re-run finds a committed batch and returns it instead of
 * importing twice. Generation is deterministic, so a re-run before the commit makes the same images.
 * Should two runs ever overlap, images already stored are skipped by sha256 (counted as duplicates).
 */
export const GENERATOR_CODE_VERSION = 'lib/gan@1';

export type GenerationJobContext = {
  jobId: string;
  createdById?: string | null;
  reportProgress(fraction: number, message?: string): Promise<void>;
  isCancelled(): boolean | Promise<boolean>;
};

export type GenerationJobResult = {
  batchId: string;
  poolKey: string;
  imported: number;
  duplicates: number;
  checkpointId: string;
  backend: string;
  generateMs: number;
  imagesPerSecond: number;
  resumed: boolean;
  /** The new batch's memorisation check (queued with the batch by lib/pools/import). */
  memorisationCheckJobId: string | null;
};

export class GenerationCancelled extends Error {
  constructor() {
    super('the generation job was cancelled; nothing was imported');
    this.name = 'GenerationCancelled';
  }
}

export function jobSource(jobId: string): string {
  return `gan-job:${jobId}`;
}

export async function runGenerationJob(params: GenerationParams, ctx: GenerationJobContext): Promise<GenerationJobResult> {
  const prisma = getPrisma();
  const config = getConfig();
  const source = jobSource(ctx.jobId);
  const done = await prisma.batch.findFirst({ where: { source, status: 'COMPLETE' }, include: { pool: { select: { key: true } } } });
  if (done) {
    await ctx.reportProgress(1, 'already imported (resumed after a restart)');
    return {
      batchId: done.id,
      poolKey: done.pool.key,
      imported: done.imported,
      duplicates: done.duplicates,
      checkpointId: params.checkpointId,
      backend: 'unknown',
      generateMs: 0,
      imagesPerSecond: 0,
      resumed: true,
      memorisationCheckJobId: null,
    };
  }

  await ctx.reportProgress(0, 'loading the checkpoint');
  const checkpoint = await loadRegisteredCheckpoint(params.checkpointId);
  const { manifest } = checkpoint;
  const items = planGeneration(params, manifest.labels, config.GAN_MAX_IMAGES_PER_JOB);
  const side = manifest.resolution;
  // A chunk gives every generator thread (threads.ts) a batch or more; progress and cancel come between chunks.
  const chunk = Math.max(config.GAN_BATCH_SIZE * threadCount(config.GAN_THREADS), 32);
  const pngs: Uint8Array[] = [];
  const started = Date.now();
  for (let start = 0; start < items.length; start += chunk) {
    if (await ctx.isCancelled()) throw new GenerationCancelled();
    const slice = items.slice(start, start + chunk);
    const greys = await generateOnThreads(checkpoint, slice, { seed: params.seed, truncation: params.truncation, batchSize: config.GAN_BATCH_SIZE });
    for (const grey of greys) pngs.push(greyToPng(grey, side));
    await ctx.reportProgress((0.9 * pngs.length) / items.length, `${pngs.length} of ${items.length} images generated`);
  }
  const generateMs = Date.now() - started;
  if (await ctx.isCancelled()) throw new GenerationCancelled();

  await ctx.reportProgress(0.92, `importing ${items.length} images`);
  const result = await importGenerated({ jobId: ctx.jobId, createdById: ctx.createdById ?? null, checkpoint, params, items, pngs, madeBy: () => ({ backend: checkpoint.backend }) });
  await ctx.reportProgress(1, `${result.imported} images imported into ${result.poolKey}${result.duplicates.length ? ` (${result.duplicates.length} duplicates skipped)` : ''}`);
  return {
    batchId: result.batchId,
    poolKey: result.poolKey,
    imported: result.imported,
    duplicates: result.duplicates.length,
    checkpointId: checkpoint.id,
    backend: checkpoint.backend,
    generateMs,
    imagesPerSecond: items.length / Math.max(generateMs / 1000, 1e-3),
    resumed: false,
    memorisationCheckJobId: result.memorisationCheck?.id ?? null,
  };
}

/**
 * The one-transaction import shared by the worker and the browser path: `pngs[i]` is `items[i]`; `madeBy`
 * adds, per image, the backend that made it (and for browser images the one that checked it).
 */
export async function importGenerated(options: {
  jobId: string;
  createdById: string | null;
  checkpoint: Pick<LoadedCheckpoint, 'manifest' | 'sha256' | 'format'> & { id: string };
  params: GenerationParams;
  items: readonly GenerationItem[];
  pngs: readonly Uint8Array[];
  madeBy: (item: GenerationItem) => Record<string, unknown>;
}) {
  const { checkpoint, params, items, pngs } = options;
  const { manifest } = checkpoint;
  const side = manifest.resolution;
  const poolKey = poolKeyFor({ modality: manifest.modality, width: side, height: side, bitDepth: 8 });
  const pool = await getPrisma().pool.findUnique({ where: { key: poolKey }, select: { key: true } });
  const name = (index: number) => `gan-${options.jobId}-${String(index).padStart(6, '0')}.png`;
  const byName = new Map(items.map((item) => [name(item.index), item]));
  const labelRows = new Map<string, ManifestRow>(items.map((item) => [name(item.index), { file: name(item.index), labels: [...item.labels], line: item.index + 2 }]));
  return importBatch({
    files: items.map((item, i) => ({ name: name(item.index), bytes: pngs[i] })),
    modality: manifest.modality,
    origin: 'SYNTHETIC',
    kind: 'GENERATED',
    manifest: labelRows,
    poolKey: pool?.key,
    source: jobSource(options.jobId),
    createdById: options.createdById,
    checkpointId: checkpoint.id,
    provenance: (file) => {
      const item = byName.get(file.name)!;
      return {
        generator: {
          checkpointId: checkpoint.id,
          checkpointName: manifest.name,
          checkpointSha256: checkpoint.sha256,
          checkpointCodeVersion: manifest.codeVersion,
          modelFormat: checkpoint.format,
          seed: params.seed,
          index: item.index,
          labels: item.labels,
          truncation: params.truncation ?? null,
          ...options.madeBy(item),
          codeVersion: GENERATOR_CODE_VERSION,
          jobId: options.jobId,
        },
      };
    },
  });
}
