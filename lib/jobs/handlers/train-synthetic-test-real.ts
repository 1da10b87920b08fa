import { decode as fastPngDecode } from 'fast-png';
import { getPgPool } from '@/lib/db/pg';
import { getPrisma } from '@/lib/db/client';
import { splitTrainTest, trainSyntheticTestReal, type LabelledImages } from '@/lib/detectability';
import { resolveBackend } from '@/lib/gan/backend';
import { getConfig } from '@/lib/config';
import { resampleArea } from '@/lib/privacy';
import { trainSyntheticTestRealKind, type UtilityParams, type UtilityVerdict } from '../kinds/train-synthetic-test-real';
import { defineJobKind, type JobContext } from '../registry';

/**
 * Train on synthetic, test on real for one conditional checkpoint (lib/detectability/utility.ts):
 * its labelled synthetic images against the labelled real images of the same pool (its modality and
 * size), half of the real images (by patient) held out for testing. Labels are the checkpoint's.
 */
export const MAX_IMAGES_PER_SIDE = 2000;
const TEST_FRACTION = 0.5;


type Row = { id: string; storageKey: string; labels: string[]; patientKey: string | null; width: number; height: number };

async function load(rows: Row[], side: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const pg = getPgPool();
  for (let start = 0; start < rows.length; start += 200) {
    const slice = rows.slice(start, start + 200);
    const blobs = await pg.query<{ storageKey: string; bytes: Buffer }>(`SELECT "storageKey", bytes FROM "ImageBlob" WHERE "storageKey" = ANY($1::text[])`, [slice.map((r) => r.storageKey)]);
    const byKey = new Map(blobs.rows.map((b) => [b.storageKey, new Uint8Array(b.bytes)]));
    for (const row of slice) {
      const png = fastPngDecode(byKey.get(row.storageKey)!);
      const max = 2 ** png.depth - 1;
      const scaled = Float32Array.from(png.data as ArrayLike<number>, (v) => v / max);
      out.push(png.width === side && png.height === side ? scaled : resampleArea(scaled, png.width, png.height, side));
    }
  }
  return out;
}

export async function runUtility(ctx: Pick<JobContext<UtilityParams>, 'params' | 'signal' | 'progress'>): Promise<UtilityVerdict> {
  const started = Date.now();
  const prisma = getPrisma();
  const checkpoint = await prisma.checkpoint.findUnique({ where: { id: ctx.params.checkpointId } });
  if (!checkpoint) throw new Error(`checkpoint ${ctx.params.checkpointId} does not exist`);
  if (checkpoint.labels.length === 0) throw new Error(`checkpoint ${checkpoint.name} is unconditional: train-on-synthetic needs labels`);
  const pool = await prisma.pool.findFirst({ where: { images: { some: { batch: { checkpointId: checkpoint.id } } } } });
  if (!pool) throw new Error(`checkpoint ${checkpoint.name} has no generated images yet`);
  const columns = `id, "storageKey", labels, "patientKey", width, height`;
  const pg = getPgPool();
  const synthetic = (
    await pg.query<Row>(
      `SELECT ${columns} FROM "Image" WHERE "poolId" = $1 AND origin = 'SYNTHETIC' AND NOT "isQuarantined" AND NOT "isRetired"
         AND "batchId" IN (SELECT id FROM "Batch" WHERE "checkpointId" = $2) ORDER BY sha256 LIMIT ${MAX_IMAGES_PER_SIDE}`,
      [pool.id, checkpoint.id],
    )
  ).rows;
  const real = (
    await pg.query<Row>(`SELECT ${columns} FROM "Image" WHERE "poolId" = $1 AND origin = 'REAL' AND NOT "isRetired" ORDER BY sha256 LIMIT ${2 * MAX_IMAGES_PER_SIDE}`, [pool.id])
  ).rows;
  const side = Math.max(16, Math.floor(Math.min(64, pool.width, pool.height) / 16) * 16);
  await ctx.progress(0, `loading ${synthetic.length} synthetic and ${real.length} real images`);
  const split = splitTrainTest(real.map((r) => (r.patientKey ? `patient ${r.patientKey}` : `image ${r.id}`)), TEST_FRACTION, 1);
  const realImages = await load(real, side);
  const pick = (indices: number[]): LabelledImages => ({ images: indices.map((i) => realImages[i]), labels: indices.map((i) => real[i].labels) });
  const syntheticSet: LabelledImages = { images: await load(synthetic, side), labels: synthetic.map((r) => r.labels) };
  ctx.signal.throwIfAborted();
  const backend = resolveBackend(getConfig().GAN_BACKEND);
  const result = await trainSyntheticTestReal(syntheticSet, pick(split.train), pick(split.test), checkpoint.labels, side, {
    backend,
    signal: ctx.signal,
    onProgress: (fraction, message) => ctx.progress(0.02 + 0.98 * fraction, message),
  });
  return {
    ...result,
    checkpointId: checkpoint.id,
    checkpointName: checkpoint.name,
    poolKey: pool.key,
    backend,
    counts: { synthetic: synthetic.length, realTrain: split.train.length, realTest: split.test.length },
    seconds: (Date.now() - started) / 1000,
  };
}

export const trainSyntheticTestRealJob = defineJobKind(trainSyntheticTestRealKind, (ctx: JobContext<UtilityParams>) => runUtility(ctx));

