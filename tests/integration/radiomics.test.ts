import crypto from 'node:crypto';
import path from 'node:path';
import zlib from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { decode } from '@/lib/images';
import { stopBoss, type RadiomicsDistanceParams, type RadiomicsDistanceResult } from '@/lib/jobs';
import { radiomicsDistance } from '@/lib/jobs/handlers/radiomics-distance';
import { importFolder } from '@/lib/pools/folder';
import { describeDifference, type FeatureDifference } from '@/lib/radiomics';
import { handleBatchUpload } from '@/lib/uploads';
import { buildZip, HOSTILE_TEST_LIMITS } from '@/scripts/make-hostile-fixtures';
import { listShared, readShared, sharedDataDir } from '../support/shared-data';
import { adminUser, uploadRequest } from '../support/uploads';

/**
 * The Fréchet Radiomics Distance job on real head-CT slices (MedNIST, 64²): an upload queues it; "synthetic"
 * images that are other slices from the same source (the MedNIST training set) are close (small FRD, high
 * precision and recall); real slices with their contrast squeezed are far, and the stored result says which
 * features differ. (Real slices plus ±2 noise are far too: their flat background of exactly 25 breaks up
 * across a bin edge — a texture difference the features are meant to see, so it is not the "close" case.)
 */
const prisma = () => getPrisma();
let adminId: string;
let realBatchId: string;
const FOLDER = path.join('demo', 'headct-mednist-64');

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  adminId = await adminUser();
  realBatchId = (await importFolder({ dir: path.join(sharedDataDir(), FOLDER), modality: 'CT_HEAD', origin: 'REAL', source: 'radiomics-test' })).batchId;
});

afterAll(async () => {
  await stopBoss();
});

/** `count` slices of the MedNIST head-CT training set (not the demo pool's images), every 50th. */
function trainingSlices(count: number) {
  const all = new Uint8Array(zlib.gunzipSync(readShared(path.join('train', 'mednist-headct-64.u8.gz'))));
  return Array.from({ length: count }, (_, i) => ({
    name: `train-${i * 50}.png`,
    bytes: encodePng({ width: 64, height: 64, depth: 8, channels: 1, data: all.slice(i * 50 * 4096, (i * 50 + 1) * 4096) }),
  }));
}

function variants(transform: (v: number, i: number) => number, from: number, count: number) {
  return listShared(FOLDER, '.png')
    .slice(from, from + count)
    .map((file, n) => {
      const image = decode(readShared(file));
      const data = Uint8Array.from(image.pixels as Uint8Array, (v, i) => Math.min(255, Math.max(0, Math.round(transform(v, i + n * 7919)))));
      return { name: `syn-${from + n}.png`, bytes: encodePng({ width: image.width, height: image.height, depth: 8, channels: 1, data }) };
    });
}

async function runJob(jobId: string): Promise<RadiomicsDistanceResult> {
  const row = await prisma().job.findUniqueOrThrow({ where: { id: jobId } });
  return radiomicsDistance.run({
    jobId,
    params: row.params as RadiomicsDistanceParams,
    attempt: 1,
    createdAt: row.createdAt,
    signal: new AbortController().signal,
    progress: async () => {},
  });
}

describe('Fréchet Radiomics Distance of a synthetic pool', () => {
  let poolId: string;
  let nearFrd: number;

  it('is queued by an upload and is small for other images from the same source', async () => {
    const zip = await buildZip(trainingSlices(40));
    const { batchId } = await handleBatchUpload(await uploadRequest({ fileName: 'near.zip', bytes: zip, modality: 'CT_HEAD', origin: 'SYNTHETIC' }), adminId, HOSTILE_TEST_LIMITS);
    const job = await prisma().job.findFirstOrThrow({ where: { batchId, kind: 'radiomics-distance' } });
    expect(job).toMatchObject({ status: 'QUEUED', params: { batchId } });

    const result = await runJob(job.id);
    expect(result.skipped).toEqual([]);
    const batch = await prisma().batch.findUniqueOrThrow({ where: { id: batchId } });
    poolId = batch.poolId;
    const stored = await prisma().radiomicsDistance.findUniqueOrThrow({ where: { poolId } });
    expect(stored).toMatchObject({ modality: 'CT_HEAD', realCount: 100, syntheticCount: 40, analysisSide: 64, binWidth: 25, k: 3, jobId: job.id });
    expect(stored.featureCount).toBeGreaterThan(90);
    expect(stored.precision).toBeGreaterThan(0.7);
    expect(stored.recall).toBeGreaterThan(0.7);
    nearFrd = stored.frd;
    expect(nearFrd).toBeGreaterThan(0);
  });

  it('grows when the synthetic images lose contrast, and names what differs; a rerun replaces the row', async () => {
    await prisma().image.updateMany({ where: { poolId, origin: 'SYNTHETIC' }, data: { isRetired: true } });
    const zip = await buildZip(variants((v) => 0.6 * v + 40, 40, 40));
    const { batchId } = await handleBatchUpload(await uploadRequest({ fileName: 'flat.zip', bytes: zip, modality: 'CT_HEAD', origin: 'SYNTHETIC' }), adminId, HOSTILE_TEST_LIMITS);
    const job = await prisma().job.findFirstOrThrow({ where: { batchId, kind: 'radiomics-distance' } });
    await runJob(job.id);
    const rows = await prisma().radiomicsDistance.findMany({ where: { poolId } });
    expect(rows).toHaveLength(1);
    const [stored] = rows;
    expect(stored.syntheticCount).toBe(40);
    expect(stored.frd).toBeGreaterThan(10 * nearFrd);
    expect(stored.precision).toBeLessThan(0.2);
    const differences = stored.differences as unknown as FeatureDifference[];
    expect(differences.length).toBe(5);
    expect(describeDifference(differences[0])).toMatch(/^(First order|GLCM|GLRLM|GLSZM|GLDM|NGTDM) .+: synthetic \d+ % (lower|higher)$/);
    // Squeezing the contrast lowers the spread of intensities and raises the minimum.
    const byKey = Object.fromEntries(differences.map((d) => [d.key, d]));
    if (byKey['firstorder.range']) expect(byKey['firstorder.range'].relativeDifference).toBeCloseTo(-0.4, 1);
    if (byKey['firstorder.minimum']) expect(byKey['firstorder.minimum'].syntheticMean).toBeGreaterThan(byKey['firstorder.minimum'].realMean);
  });

  it('a real batch of the modality recomputes every synthetic pool of it; a pool with too few images is skipped with the reason', async () => {
    const job = await prisma().job.create({ data: { kind: 'radiomics-distance', params: { batchId: realBatchId }, queueJobId: crypto.randomUUID() } });
    const before = await prisma().radiomicsDistance.findUniqueOrThrow({ where: { poolId } });
    const result = await runJob(job.id);
    expect(result.computed.map((c) => c.subject)).toEqual([expect.stringMatching(/^pool CT_HEAD/)]);
    const after = await prisma().radiomicsDistance.findUniqueOrThrow({ where: { poolId } });
    expect(after.jobId).toBe(job.id);
    expect(after.computedAt.getTime()).toBeGreaterThan(before.computedAt.getTime());
    expect(after.frd).toBeCloseTo(before.frd, 9);
    await prisma().image.updateMany({ where: { poolId, origin: 'SYNTHETIC', isRetired: false }, data: { isRetired: true } });
    await prisma().image.updateMany({ where: { poolId, origin: 'SYNTHETIC', sourceName: { in: ['syn-40.png', 'syn-41.png'] } }, data: { isRetired: false } });
    const again = await runJob(job.id);
    expect(again.computed).toEqual([]);
    expect(again.skipped[0].reason).toMatch(/needs more than 3 real and 3 synthetic images \(has 100 and 2\)/);
    // A distance that no longer describes the pool's images is not kept.
    expect(await prisma().radiomicsDistance.count({ where: { poolId } })).toBe(0);
  });
});
