import { audit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { decode } from '@/lib/images';
import {
  assessMatches,
  COMMON_SIZE,
  listTrainingSets,
  loadTrainingSet,
  NearestRealIndex,
  resampleArea,
  trainingImage,
  type NearestMatch,
} from '@/lib/privacy';
import { memorisationCheckKind, type MemorisationCheckParams } from '../kinds';
import { defineJobKind, type JobContext } from '../registry';

/**
 * The memorisation check of one batch's synthetic images (lib/privacy): each against every real image of
 * the same modality — in the pools and in the registered training sets — keeping the nearest matches and
 * quarantining near-copies. Resumable: an image's matches, score and verdict are committed together, and
 * a re-run of the same job skips images checked since the job was queued.
 */
export type MemorisationCheckResult = {
  checked: number;
  skippedAsDone: number;
  quarantined: number;
  maxSimilarity: number | null;
  realImages: number;
  trainingImages: number;
  trainingSets: string[];
  kernel: string;
  indexMs: number;
  msPerImage: number | null;
};

const REAL_CHUNK = 200;

export const memorisationCheck = defineJobKind(memorisationCheckKind, checkBatch);

async function checkBatch(ctx: JobContext<MemorisationCheckParams>): Promise<MemorisationCheckResult> {
  const prisma = getPrisma();
  const config = getConfig();
  const batch = await prisma.batch.findUnique({ where: { id: ctx.params.batchId } });
  if (!batch) throw new Error(`batch ${ctx.params.batchId} does not exist`);
  const synthetic = { batchId: batch.id, origin: 'SYNTHETIC' as const };
  const total = await prisma.image.count({ where: synthetic });
  const todo = await prisma.image.findMany({
    where: { ...synthetic, OR: [{ similarityCheckedAt: null }, { similarityCheckedAt: { lt: ctx.createdAt } }] },
    select: { id: true, storageKey: true },
    orderBy: { id: 'asc' },
  });
  let done = total - todo.length;
  await ctx.progress(total ? done / total : 0, 'reading the real images');

  const started = Date.now();
  const reals = await prisma.image.findMany({ where: { modality: batch.modality, origin: 'REAL' }, select: { id: true, storageKey: true }, orderBy: { id: 'asc' } });
  const { sets } = listTrainingSets(config.trainingSetsDir);
  const trainingSets = sets.filter((s) => s.modality === batch.modality).map((s) => loadTrainingSet(config.trainingSetsDir!, s));
  const trainingImages = trainingSets.reduce((n, s) => n + s.count, 0);
  const index = new NearestRealIndex(reals.length + trainingImages);
  for (let i = 0; i < reals.length; i += REAL_CHUNK) {
    ctx.signal.throwIfAborted();
    for (const { id, pixels } of await commonSizePixels(reals.slice(i, i + REAL_CHUNK))) index.add({ kind: 'pool', imageId: id }, pixels);
  }
  for (const set of trainingSets) {
    for (let i = 0; i < set.count; i++) {
      const pixels = trainingImage(set, i);
      index.add({ kind: 'training', set: set.name, index: i }, set.side === COMMON_SIZE ? pixels : resampleArea(pixels, set.side, set.side));
    }
    ctx.signal.throwIfAborted();
  }
  const indexMs = Date.now() - started;

  const thresholds = { pearson: config.PRIVACY_PEARSON_THRESHOLD, ssim: config.PRIVACY_SSIM_THRESHOLD };
  let quarantined = 0;
  let maxSimilarity: number | null = null;
  const checkStarted = Date.now();
  for (const image of todo) {
    ctx.signal.throwIfAborted();
    const [{ pixels }] = await commonSizePixels([image]);
    const matches = index.search(pixels, config.PRIVACY_TOP_MATCHES);
    const verdict = assessMatches(matches, thresholds);
    if (verdict.nearestRealSimilarity !== null) maxSimilarity = Math.max(maxSimilarity ?? -1, verdict.nearestRealSimilarity);
    if (await storeVerdict(image.id, matches, verdict, ctx.jobId)) quarantined++;
    done++;
    await ctx.progress(done / total, `${done} of ${total} synthetic images checked`);
  }
  return {
    checked: todo.length,
    skippedAsDone: total - todo.length,
    quarantined,
    maxSimilarity,
    realImages: reals.length,
    trainingImages,
    trainingSets: trainingSets.map((s) => s.name),
    kernel: index.kernelKind,
    indexMs,
    msPerImage: todo.length ? (Date.now() - checkStarted) / todo.length : null,
  };
}

/** Matches, score and quarantine of one image in one transaction: a re-run replaces them, never adds. */
async function storeVerdict(imageId: string, matches: NearestMatch[], verdict: ReturnType<typeof assessMatches>, jobId: string): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const image = await tx.image.findUnique({ where: { id: imageId }, select: { releasedAt: true, isQuarantined: true } });
    if (!image) return false; // deleted meanwhile
    await tx.similarityMatch.deleteMany({ where: { imageId } });
    await tx.similarityMatch.createMany({
      data: matches.map((m, i) => ({
        imageId,
        rank: i + 1,
        realImageId: m.ref.kind === 'pool' ? m.ref.imageId : null,
        trainingSet: m.ref.kind === 'training' ? m.ref.set : null,
        trainingIndex: m.ref.kind === 'training' ? m.ref.index : null,
        pearson: m.pearson,
        ssim: m.ssim,
      })),
    });
    // An admin's release stands: the same evidence does not quarantine the image again.
    const isQuarantined = verdict.isNearCopy && !image.releasedAt;
    await tx.image.update({ where: { id: imageId }, data: { nearestRealSimilarity: verdict.nearestRealSimilarity, similarityCheckedAt: new Date(), isQuarantined } });
    if (isQuarantined && !image.isQuarantined) {
      await audit(
        { actorId: null, action: 'image.quarantine', targetType: 'Image', targetId: imageId, after: { reason: verdict.reason, nearestRealSimilarity: verdict.nearestRealSimilarity, jobId } },
        tx,
      );
    }
    return isQuarantined;
  });
}

/** Canonical PNGs from the image store, decoded and resampled to the common size. */
async function commonSizePixels(images: Array<{ id: string; storageKey: string }>): Promise<Array<{ id: string; pixels: Float32Array }>> {
  const byKey = await new PgImageStore().getMany(images.map((i) => i.storageKey));
  return images.map(({ id, storageKey }) => {
    const bytes = byKey.get(storageKey);
    if (!bytes) throw new Error(`image ${id} has no stored bytes (${storageKey})`);
    const decoded = decode(bytes);
    return { id, pixels: resampleArea(decoded.pixels, decoded.width, decoded.height) };
  });
}
