import { getPrisma } from '@/lib/db/client';
import type { Modality, Prisma } from '@/lib/generated/prisma/client';
import { decode } from '@/lib/images';
import { resampleArea } from '@/lib/privacy';
import { DEFAULT_RADIOMICS_SETTINGS, extractFeatures, featureDescriptors, frechetRadiomicsDistance, type FrdResult, type RadiomicsSettings } from '@/lib/radiomics';
import { PgImageStore } from '@/lib/db/image-store';
import { radiomicsDistanceKind, type RadiomicsDistanceParams } from '../kinds';
import { defineJobKind, type JobContext } from '../registry';

/**
 * Fréchet Radiomics Distance (lib/radiomics) of synthetic image sets to the real images of their modality,
 * stored in RadiomicsDistance — one row per synthetic pool and per checkpoint, replaced whole, so a re-run
 * is harmless. Queued when a batch lands (`queueRadiomicsForBatch`, lib/jobs/kinds): a synthetic batch recomputes its pool
 * and its checkpoint; a real batch every pool and checkpoint of its modality. Retired images are left out;
 * quarantined ones stay in (the distance measures the generator, near-copies included).
 *
 * Both sets are area-resampled to one square side — the smaller of the two sets' smallest side, at most
 * MAX_SIDE — and discretised with a fixed bin width of 25 intensity units from 0 (pyradiomics's default width;
 * grey values of 8-bit pools, HU of CT pools; 25 × 257 for other 16-bit pools, the same share of the range).
 */
type Subject = { kind: 'pool'; id: string; name: string } | { kind: 'checkpoint'; id: string; name: string };
export type RadiomicsDistanceResult = {
  computed: Array<{ subject: string; frd: number; precision: number; recall: number; syntheticCount: number; realCount: number }>;
  skipped: Array<{ subject: string; reason: string }>;
};

export const MAX_SIDE = 256;
/**
 * Per set; beyond it a fixed pseudo-random sample (ordered by content hash) stands for the set. Also bounds
 * the one step that holds the event loop — FRD and k-NN precision/recall, O(n²): ~8 s for 2,000 + 2,000 here
 * (BENCHMARKS.md) — well inside the heartbeat's JOB_STALE_SECONDS.
 */
export const MAX_IMAGES_PER_SET = 2_000;
const K = 3;
const CHUNK = 200;

export const radiomicsDistance = defineJobKind(radiomicsDistanceKind, computeDistances);

async function subjectsOf(p: RadiomicsDistanceParams): Promise<Subject[]> {
  const prisma = getPrisma();
  if (p.poolId) {
    const pool = await prisma.pool.findUniqueOrThrow({ where: { id: p.poolId } });
    return [{ kind: 'pool', id: pool.id, name: `pool ${pool.key}` }];
  }
  if (p.checkpointId) {
    const checkpoint = await prisma.checkpoint.findUniqueOrThrow({ where: { id: p.checkpointId } });
    return [{ kind: 'checkpoint', id: checkpoint.id, name: `checkpoint ${checkpoint.name}` }];
  }
  const batch = await prisma.batch.findUnique({ where: { id: p.batchId! }, include: { pool: true, checkpoint: true } });
  if (!batch) throw new Error(`batch ${p.batchId} does not exist`);
  if (batch.origin === 'SYNTHETIC') {
    const out: Subject[] = [{ kind: 'pool', id: batch.pool.id, name: `pool ${batch.pool.key}` }];
    if (batch.checkpoint) out.push({ kind: 'checkpoint', id: batch.checkpoint.id, name: `checkpoint ${batch.checkpoint.name}` });
    return out;
  }
  const [pools, checkpoints] = await Promise.all([
    prisma.pool.findMany({ where: { modality: batch.modality, images: { some: { origin: 'SYNTHETIC', isRetired: false } } }, orderBy: { key: 'asc' } }),
    prisma.checkpoint.findMany({ where: { modality: batch.modality, batches: { some: { images: { some: { isRetired: false } } } } }, orderBy: { name: 'asc' } }),
  ]);
  return [
    ...pools.map((pool): Subject => ({ kind: 'pool', id: pool.id, name: `pool ${pool.key}` })),
    ...checkpoints.map((c): Subject => ({ kind: 'checkpoint', id: c.id, name: `checkpoint ${c.name}` })),
  ];
}

function syntheticWhere(subject: Subject): Prisma.ImageWhereInput {
  const base = { origin: 'SYNTHETIC' as const, isRetired: false };
  return subject.kind === 'pool' ? { ...base, poolId: subject.id } : { ...base, batch: { checkpointId: subject.id } };
}

async function computeDistances(ctx: JobContext<RadiomicsDistanceParams>): Promise<RadiomicsDistanceResult> {
  const prisma = getPrisma();
  const subjects = await subjectsOf(ctx.params);
  const result: RadiomicsDistanceResult = { computed: [], skipped: [] };
  // Features of every image this job has measured, by image, side and bin width: the real images are shared by the
  // subjects of a modality, and a synthetic batch's pool and checkpoint often hold the same images.
  const measured: FeatureCache = new Map();
  for (const [s, subject] of subjects.entries()) {
    const share = (fraction: number, message: string) => ctx.progress((s + fraction) / subjects.length, `${subject.name}: ${message}`);
    // A distance that no longer describes the set's images is dropped rather than kept stale.
    const skip = async (reason: string) => {
      await prisma.radiomicsDistance.deleteMany({ where: subject.kind === 'pool' ? { poolId: subject.id } : { checkpointId: subject.id } });
      result.skipped.push({ subject: subject.name, reason });
    };
    const first = await prisma.image.findFirst({ where: syntheticWhere(subject), select: { modality: true, bitDepth: true } });
    if (!first) {
      await skip('no synthetic images');
      continue;
    }
    const synthetic = { ...syntheticWhere(subject), bitDepth: first.bitDepth };
    const real: Prisma.ImageWhereInput = { modality: first.modality, origin: 'REAL', isRetired: false, bitDepth: first.bitDepth };
    const [syntheticSize, realSize, syntheticTotal, realTotal] = await Promise.all([
      prisma.image.aggregate({ where: synthetic, _min: { width: true, height: true } }),
      prisma.image.aggregate({ where: real, _min: { width: true, height: true } }),
      prisma.image.count({ where: synthetic }),
      prisma.image.count({ where: real }),
    ]);
    if (syntheticTotal <= K || realTotal <= K) {
      await skip(`needs more than ${K} real and ${K} synthetic images (has ${realTotal} and ${syntheticTotal})`);
      continue;
    }
    const side = Math.min(MAX_SIDE, syntheticSize._min.width!, syntheticSize._min.height!, realSize._min.width!, realSize._min.height!);
    const binWidth = first.bitDepth === 16 && first.modality !== 'CT_HEAD' ? 25 * 257 : 25;
    const settings: RadiomicsSettings = { ...DEFAULT_RADIOMICS_SETTINGS, binWidth };
    const realFeatures = await featuresOf(ctx, measured, real, side, settings, (f) => share(f / 2, `real images ${Math.round(f * 100)} %`));
    const syntheticFeatures = await featuresOf(ctx, measured, synthetic, side, settings, (f) => share(0.5 + f / 2, `synthetic images ${Math.round(f * 100)} %`));
    const frd = frechetRadiomicsDistance(realFeatures, syntheticFeatures, featureDescriptors(), { k: K });
    await store(subject, first.modality, frd, side, binWidth, ctx.jobId);
    result.computed.push({ subject: subject.name, frd: frd.frd, precision: frd.precision, recall: frd.recall, syntheticCount: frd.syntheticCount, realCount: frd.realCount });
  }
  await ctx.progress(1, `${result.computed.length} distance(s) computed`);
  return result;
}

type FeatureCache = Map<string, Float64Array>;

async function featuresOf(
  ctx: JobContext<RadiomicsDistanceParams>,
  measured: FeatureCache,
  where: Prisma.ImageWhereInput,
  side: number,
  settings: RadiomicsSettings,
  progress: (fraction: number) => Promise<void>,
): Promise<Float64Array[]> {
  const prisma = getPrisma();
  const images = await prisma.image.findMany({ where, select: { id: true, storageKey: true }, orderBy: { sha256: 'asc' }, take: MAX_IMAGES_PER_SET });
  const keyOf = (storageKey: string) => `${storageKey}@${side}/${settings.binWidth}`;
  for (let i = 0; i < images.length; i += CHUNK) {
    ctx.signal.throwIfAborted();
    const chunk = images.slice(i, i + CHUNK).filter((image) => !measured.has(keyOf(image.storageKey)));
    const byKey = chunk.length ? await new PgImageStore().getMany(chunk.map((c) => c.storageKey)) : new Map<string, Uint8Array>();
    for (const { id, storageKey } of chunk) {
      const bytes = byKey.get(storageKey);
      if (!bytes) throw new Error(`image ${id} has no stored bytes (${storageKey})`);
      const image = decode(bytes);
      const pixels = image.width === side && image.height === side ? image.pixels : resampleArea(image.pixels, image.width, image.height, side);
      measured.set(keyOf(storageKey), extractFeatures({ width: side, height: side, pixels }, settings));
      // Back to the event loop after every image: other jobs of this worker (a memorisation check's
      // transaction) and the heartbeat must not wait for a whole chunk of feature extraction.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await progress(Math.min(1, (i + CHUNK) / images.length));
  }
  return images.map((image) => measured.get(keyOf(image.storageKey))!);
}

async function store(subject: Subject, modality: Modality, frd: FrdResult, analysisSide: number, binWidth: number, jobId: string) {
  const data = {
    modality,
    frd: frd.frd,
    precision: frd.precision,
    recall: frd.recall,
    k: frd.k,
    realCount: frd.realCount,
    syntheticCount: frd.syntheticCount,
    featureCount: frd.featureCount,
    analysisSide,
    binWidth,
    differences: frd.differences as unknown as Prisma.InputJsonValue,
    jobId,
    computedAt: new Date(),
  };
  const prisma = getPrisma();
  if (subject.kind === 'pool') await prisma.radiomicsDistance.upsert({ where: { poolId: subject.id }, create: { ...data, poolId: subject.id }, update: data });
  else await prisma.radiomicsDistance.upsert({ where: { checkpointId: subject.id }, create: { ...data, checkpointId: subject.id }, update: data });
}
