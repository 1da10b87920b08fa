import crypto from 'node:crypto';
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { seededRandom } from '@/lib/detectability';
import { encodeCanonical } from '@/lib/images';
import { getJobKind } from '@/lib/jobs';
import { runUtility } from '@/lib/jobs/handlers';
import type { ManifestRow } from '@/lib/pools/manifest';
import { importBatch } from '@/lib/pools/import';
import { loadExportStudy, summaryJson } from '@/lib/exports/store';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { makeReaders, openTestStudy } from '../support/open-study';
import { recordCheckWithoutComparing } from '../support/synthetic';
import { sharedPath } from '../support/shared-data';

/**
 * Train on synthetic, test on real against the database: a conditional checkpoint's labelled
 * images and the labelled real images of its pool (head CT slices; "Lesion" = a 16×16 patch of
 * coarse texture painted into about half of them), and the result in the study's JSON summary.
 */
const SIDE = 64;
const N = 300;
const raw = new Uint8Array(gunzipSync(fs.readFileSync(sharedPath('train/mednist-headct-64.u8.gz'))));

function labelledFiles(first: number, seed: number, prefix: string) {
  const random = seededRandom(seed);
  const files: Array<{ name: string; bytes: Uint8Array }> = [];
  const manifest = new Map<string, ManifestRow>();
  for (let i = 0; i < N; i++) {
    const px = Uint8Array.from(raw.subarray((first + i) * SIDE * SIDE, (first + i + 1) * SIDE * SIDE));
    const lesion = random() < 0.5;
    if (lesion) {
      const x0 = 12 + Math.floor(random() * 24);
      const y0 = 12 + Math.floor(random() * 24);
      for (let y = y0; y < y0 + 16; y++) for (let x = x0; x < x0 + 16; x++) px[y * SIDE + x] = Math.min(255, Math.max(0, px[y * SIDE + x] + ((x + y) % 2 ? 60 : -60)));
    }
    const name = `${prefix}${i}.png`;
    files.push({ name, bytes: encodeCanonical(px, SIDE, SIDE, 8) });
    manifest.set(name, { file: name, labels: lesion ? ['Lesion'] : [], patientId: `${prefix}-patient-${Math.floor(i / 4)}`, line: i + 2 });
  }
  return { files, manifest };
}

describe('the train-on-synthetic, test-on-real job', () => {
  let checkpointId: string;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    const prisma = getPrisma();
    const real = labelledFiles(0, 1, 'r');
    const imported = await importBatch({ ...real, modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT', source: 'utility-real' });
    // A registry row is all the job reads of a checkpoint: its labels (the model itself is not run here).
    checkpointId = (
      await prisma.checkpoint.create({ data: { name: 'utility-test', modality: 'CT_HEAD', resolution: SIDE, latentDim: 8, labels: ['Lesion'], sha256: crypto.randomBytes(32).toString('hex'), storageKey: 'none' } })
    ).id;
    const synthetic = labelledFiles(N, 2, 's');
    // Lesion-painted training slices: near-copies by construction, the check is not what this test is about.
    await recordCheckWithoutComparing(await importBatch({ ...synthetic, modality: 'CT_HEAD', origin: 'SYNTHETIC', kind: 'GENERATED', source: 'utility-synthetic', poolKey: imported.poolKey, checkpointId }));
  }, 120_000);

  it('reports per label both AUCs and their paired DeLong difference, on held-out real images', async () => {
    expect(getJobKind('train-synthetic-test-real')!.params.safeParse({ checkpointId }).success).toBe(true);
    const progress: number[] = [];
    const verdict = await runUtility({ params: { checkpointId }, signal: new AbortController().signal, progress: async (f: number) => void progress.push(f) });
    expect(verdict.counts.synthetic).toBe(N);
    expect(verdict.labels[0].counts.train).toBe(verdict.counts.realTrain); // the same budget on both sides
    expect(verdict.counts.realTrain + verdict.counts.realTest).toBe(N);
    expect(verdict.resolution).toBe(SIDE);
    const [lesion] = verdict.labels;
    expect(lesion.label).toBe('Lesion');
    expect(lesion.realAuc).toBeGreaterThan(0.8);
    expect(lesion.syntheticAuc).toBeGreaterThan(0.8);
    expect(lesion.difference.ci[0]).toBeLessThanOrEqual(lesion.difference.difference);
    expect(lesion.difference.ci[1]).toBeGreaterThanOrEqual(lesion.difference.difference);
    expect(progress.length).toBeGreaterThan(5);

    // The JSON summary of a study holding the checkpoint's images carries the latest result.
    const prisma = getPrisma();
    await prisma.job.create({ data: { kind: 'train-synthetic-test-real', params: { checkpointId }, status: 'SUCCEEDED', result: verdict as object, queueJobId: crypto.randomUUID() } });
    const pool = await prisma.pool.findFirstOrThrow({ where: { images: { some: { batch: { checkpointId } } } } });
    const { studyId } = await openTestStudy({ name: 'Utility', config: { imagesPerReader: 20 }, poolIds: [pool.id], readers: await makeReaders(1, 'utility') });
    const summary = JSON.parse(await summaryJson(await loadExportStudy(studyId), await loadStudyData(studyId)));
    expect(summary.machine.twoSampleTest).toBeNull();
    expect(summary.machine.trainOnSyntheticTestOnReal).toHaveLength(1);
    expect(summary.machine.trainOnSyntheticTestOnReal[0]).toMatchObject({ checkpointId, labels: [{ label: 'Lesion', realAuc: lesion.realAuc }] });
  }, 300_000);

  it('refuses an unconditional or unknown checkpoint', async () => {
    const unconditional = await getPrisma().checkpoint.create({ data: { name: 'uncond', modality: 'CT_HEAD', resolution: SIDE, latentDim: 8, labels: [], sha256: crypto.randomBytes(32).toString('hex'), storageKey: 'none' } });
    const ctx = (id: string) => ({ params: { checkpointId: id }, signal: new AbortController().signal, progress: async () => undefined });
    await expect(runUtility(ctx(unconditional.id))).rejects.toThrow(/unconditional/);
    await expect(runUtility(ctx('nope'))).rejects.toThrow(/does not exist/);
  });
});
