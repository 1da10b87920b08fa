import { decode as fastPngDecode } from 'fast-png';
import { getPgPool } from '@/lib/db/pg';
import { getPrisma } from '@/lib/db/client';
import { classifierTwoSampleTest, CNN_DEFAULTS } from '@/lib/detectability';
import { resolveBackend } from '@/lib/gan/backend';
import { getConfig } from '@/lib/config';
import { crossValidatedAuc, encodingSignature, featureVector, imageFeatures } from '@/lib/privacy/leak-audit';
import { resampleArea } from '@/lib/privacy';
import { rocAuc } from '@/lib/stats';
import { twoSampleTestKind, type MachineVerdict, type TwoSampleParams } from '../kinds/two-sample-test';
import { defineJobKind, type JobContext } from '../registry';

/**
 * "Can a machine tell?" as a background job: the classifier two-sample test (lib/detectability) on a
 * study's images (the selected ones once it is open, else the eligible images of its pools) or on a
 * pool's real images against its synthetic images (optionally only those of one checkpoint), beside
 * the cheap-feature classifier of the leak audit on the same images. Images are brought to one side
 * (the smallest pool side, at most MAX_RESOLUTION, a multiple of 16) by area averaging; the result
 * states it. Real images of one patient form one group (never split across folds).
 */
export const MAX_RESOLUTION = 64;
export const MAX_PER_CLASS = 1000;


type Row = { id: string; origin: 'REAL' | 'SYNTHETIC'; storageKey: string; patientKey: string | null; width: number; height: number };

async function imagesInScope(params: TwoSampleParams): Promise<Row[]> {
  const pool = getPgPool();
  const columns = `i.id, i.origin::text AS origin, i."storageKey", i."patientKey", i.width, i.height`;
  const ranked = (where: string) => `SELECT ${columns} FROM (
       SELECT i.*, row_number() OVER (PARTITION BY i.origin ORDER BY i.sha256) AS rank FROM "Image" i ${where}) i
     WHERE rank <= ${MAX_PER_CLASS} ORDER BY i.id`;
  if ('studyId' in params) {
    const study = await getPrisma().study.findUnique({ where: { id: params.studyId }, select: { poolIds: true } });
    if (!study) throw new Error(`study ${params.studyId} does not exist`);
    const selected = await pool.query<Row>(ranked(`WHERE i.id IN (SELECT "imageId" FROM "StudyImage" WHERE "studyId" = $1)`), [params.studyId]);
    if (selected.rows.length > 0) return selected.rows;
    return (await pool.query<Row>(ranked(`WHERE i."poolId" = ANY($1::text[]) AND NOT i."isQuarantined" AND NOT i."isRetired"`), [study.poolIds])).rows;
  }
  const where = params.checkpointId
    ? `WHERE i."poolId" = $1 AND NOT i."isQuarantined" AND NOT i."isRetired" AND (i.origin = 'REAL' OR i."batchId" IN (SELECT id FROM "Batch" WHERE "checkpointId" = $2))`
    : `WHERE i."poolId" = $1 AND NOT i."isQuarantined" AND NOT i."isRetired"`;
  return (await pool.query<Row>(ranked(where), params.checkpointId ? [params.poolId, params.checkpointId] : [params.poolId])).rows;
}

export async function runTwoSampleTest(ctx: Pick<JobContext<TwoSampleParams>, 'params' | 'signal' | 'progress'>): Promise<MachineVerdict> {
  const started = Date.now();
  const rows = await imagesInScope(ctx.params);
  const real = rows.filter((r) => r.origin === 'REAL').length;
  const synthetic = rows.length - real;
  if (Math.min(real, synthetic) < 10) throw new Error(`too few images to test: ${real} real and ${synthetic} synthetic; at least 10 of each are needed`);
  const side = Math.max(16, Math.floor(Math.min(MAX_RESOLUTION, ...rows.map((r) => Math.min(r.width, r.height))) / 16) * 16);
  await ctx.progress(0, `loading ${rows.length} images`);

  const images: Float32Array[] = [];
  const features: number[][] = [];
  const encodings: string[] = [];
  const pg = getPgPool();
  for (let start = 0; start < rows.length; start += 200) {
    const slice = rows.slice(start, start + 200);
    const blobs = await pg.query<{ storageKey: string; bytes: Buffer }>(`SELECT "storageKey", bytes FROM "ImageBlob" WHERE "storageKey" = ANY($1::text[])`, [slice.map((r) => r.storageKey)]);
    const byKey = new Map(blobs.rows.map((b) => [b.storageKey, new Uint8Array(b.bytes)]));
    for (const row of slice) {
      const bytes = byKey.get(row.storageKey);
      if (!bytes) throw new Error(`image ${row.id} has no stored bytes`);
      const png = fastPngDecode(bytes);
      const max = 2 ** png.depth - 1;
      const scaled = Float32Array.from(png.data as ArrayLike<number>, (v) => v / max);
      images.push(png.width === side && png.height === side ? scaled : resampleArea(scaled, png.width, png.height, side));
      const f = imageFeatures(bytes);
      features.push(featureVector(f));
      encodings.push(encodingSignature(f));
    }
    ctx.signal.throwIfAborted();
  }
  const labels = rows.map((r) => (r.origin === 'SYNTHETIC' ? 1 : 0) as 0 | 1);
  const groups = rows.map((r) => (r.origin === 'REAL' && r.patientKey ? `patient ${r.patientKey}` : `image ${r.id}`));

  const cheap = crossValidatedAuc(features, labels, rows.map((r) => r.id), encodings);
  const [cheapLower, cheapUpper] = rocAuc(cheap.scores, labels).ci;
  const backend = resolveBackend(getConfig().GAN_BACKEND);
  const cnn = await classifierTwoSampleTest(images, labels, side, {
    groups,
    backend,
    signal: ctx.signal,
    onProgress: (fraction, message) => ctx.progress(0.02 + 0.98 * fraction, message),
  });
  return {
    scope: ctx.params,
    resolution: side,
    counts: { real, synthetic },
    cnn: { auc: cnn.auc, ci: cnn.ci, folds: cnn.folds, epochs: CNN_DEFAULTS.epochs, backend },
    cheapFeatures: { auc: cheap.auc, ci: { lower: cheapLower, upper: cheapUpper } },
    seconds: (Date.now() - started) / 1000,
  };
}

export const twoSampleTest = defineJobKind(twoSampleTestKind, (ctx: JobContext<TwoSampleParams>) => runTwoSampleTest(ctx));

