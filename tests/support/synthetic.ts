import { getPrisma } from '@/lib/db/client';
import { encodeCanonical, type Modality } from '@/lib/images';
import { generateGrey, loadRegisteredCheckpoint, planGeneration } from '@/lib/gan';
import { memorisationCheck } from '@/lib/jobs/handlers';
import { importBatch, type ImportResult } from '@/lib/pools/import';
import { seedDemoCheckpoints } from '@/lib/seed/demo-gan';

/**
 * Synthetic images for tests that need a study, made by the demo generator of the pool's modality
 * (checkpoints/demo-*-64, on the server's wasm backend) and centre-cropped to the pool's size, imported as a
 * synthetic batch (which queues its memorisation check, lib/pools/import.ts), and that check run here, so
 * the images are eligible for a study. Once per pool: a batch source records it.
 */
export async function seedCheckedSynthetic(poolKey: string, count: number, seed = 7): Promise<void> {
  const prisma = getPrisma();
  const pool = await prisma.pool.findUniqueOrThrow({ where: { key: poolKey } });
  const source = `test:synthetic:${poolKey}`;
  if (await prisma.batch.findFirst({ where: { source } })) return;
  const checkpoints = await seedDemoCheckpoints(() => undefined);
  const name = pool.modality === 'CT_HEAD' ? 'demo-ct-64' : 'demo-cxr-64';
  const checkpoint = await loadRegisteredCheckpoint(checkpoints.get(name)!);
  const side = checkpoint.manifest.resolution;
  if (pool.width !== pool.height || pool.width > side || pool.bitDepth !== 8) throw new Error(`seedCheckedSynthetic: pool ${poolKey} is not an 8-bit square pool of at most ${side} px`);
  const greys = await generateGrey(checkpoint, planGeneration({ checkpointId: checkpoint.id, count, seed }, [], count), { seed });
  const crop = (pixels: Uint8Array) => {
    const offset = (side - pool.width) >> 1;
    return Uint8Array.from({ length: pool.width * pool.width }, (_, p) => pixels[(offset + Math.floor(p / pool.width)) * side + offset + (p % pool.width)]);
  };
  const result = await importBatch({
    files: greys.map((grey, index) => ({ name: `generated-${index}.png`, bytes: encodeCanonical(crop(grey), pool.width, pool.width, 8) })),
    modality: pool.modality as Modality,
    origin: 'SYNTHETIC',
    kind: 'GENERATED',
    poolKey,
    source,
    checkpointId: checkpoint.id,
    provenance: () => ({ test: `${name}, seed ${seed}, centre crop to ${pool.width} px` }),
  });
  await runMemorisationCheck(result);
}

/** Runs the memorisation check a synthetic batch queued, here, as a worker would; returns its result. */
export async function runMemorisationCheck(batch: Pick<ImportResult, 'batchId' | 'memorisationCheck'>) {
  const check = batch.memorisationCheck;
  if (!check) throw new Error(`batch ${batch.batchId} queued no memorisation check`);
  const result = await memorisationCheck.run({ jobId: check.id, params: { batchId: batch.batchId }, attempt: 1, createdAt: check.createdAt, signal: new AbortController().signal, progress: async () => undefined });
  await getPrisma().job.update({ where: { id: check.id }, data: { status: 'SUCCEEDED', progress: 1, result, finishedAt: new Date() } });
  return result;
}

/**
 * For fixtures whose "synthetic" images are real slices changed on purpose (smoothed, a painted lesion): they are
 * near-copies of the training set by construction, which the memorisation check rightly quarantines, while the
 * test is about something else (the machine's verdict, train-on-synthetic utility, blinding). Records the batch's
 * queued check as done with nothing compared, so its images are eligible; a worker that picks the check up later
 * skips them (checked after the job was created). The check itself is tested in jobs and synthetic-checks.
 */
export async function recordCheckWithoutComparing(batch: Pick<ImportResult, 'batchId' | 'memorisationCheck'>): Promise<void> {
  const prisma = getPrisma();
  await prisma.image.updateMany({ where: { batchId: batch.batchId }, data: { similarityCheckedAt: new Date() } });
  if (batch.memorisationCheck) {
    await prisma.job.update({ where: { id: batch.memorisationCheck.id }, data: { status: 'SUCCEEDED', progress: 1, finishedAt: new Date(), result: { fixture: 'not compared: real images changed on purpose by the test' } } });
  }
}
