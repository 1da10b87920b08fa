import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { getJobKind } from '@/lib/jobs';
import { runTwoSampleTest } from '@/lib/jobs/handlers';
import { latestTwoSampleJob } from '@/lib/jobs/kinds';
import { createStudy } from '@/lib/studies/store';
import { boxBlur, realAndFilteredPool } from '../support/open-study';

/** "Can a machine tell?" against the database: a pool of head CT slices and the same slices smoothed. */
const SIDE = 64;

describe('the classifier two-sample test job', () => {
  let poolId: string;
  let studyId: string;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    poolId = await realAndFilteredPool((px) => boxBlur(px, SIDE, 1), 'machine');
    studyId = (await createStudy({ name: 'Machine', config: { imagesPerReader: 20 }, poolIds: [poolId], readerIds: [], createdById: null })).id;
  }, 120_000);

  it('is a registered job kind whose params name a study or a pool (and checkpoint)', () => {
    const kind = getJobKind('two-sample-test')!;
    expect(kind.params.safeParse({ studyId }).success).toBe(true);
    expect(kind.params.safeParse({ poolId, checkpointId: 'c1' }).success).toBe(true);
    expect(kind.params.safeParse({ poolId: '' }).success).toBe(false);
  });

  it('tells smoothed slices from real ones in a pool, reports progress, and states the resolution', async () => {
    const progress: number[] = [];
    const verdict = await runTwoSampleTest({ params: { poolId }, signal: new AbortController().signal, progress: async (f: number) => void progress.push(f) });
    expect(verdict.resolution).toBe(64);
    expect(verdict.counts).toEqual({ real: 50, synthetic: 50 });
    expect(verdict.cnn.auc).toBeGreaterThan(0.9);
    expect(verdict.cnn.ci.lower).toBeGreaterThan(0.5);
    expect(verdict.cheapFeatures!.auc).toBeGreaterThan(0.9);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
  }, 300_000);

  it("runs on a draft study's eligible images and finds no job before one is queued", async () => {
    expect(await latestTwoSampleJob({ studyId })).toBeNull();
    const verdict = await runTwoSampleTest({ params: { studyId }, signal: new AbortController().signal, progress: async () => undefined });
    expect(verdict.scope).toEqual({ studyId });
    expect(verdict.counts).toEqual({ real: 50, synthetic: 50 });
    await expect(runTwoSampleTest({ params: { studyId: 'nope' }, signal: new AbortController().signal, progress: async () => undefined })).rejects.toThrow(/does not exist/);
  }, 300_000);
});
