import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { decode } from '@/lib/images';
import { stopBoss, type MemorisationCheckResult } from '@/lib/jobs';
import { memorisationCheck } from '@/lib/jobs/handlers';
import { startWorker, type WorkerHandle } from '@/lib/jobs/worker';
import { importFolder } from '@/lib/pools/folder';
import { importBatch } from '@/lib/pools/import';
import { handleBatchUpload } from '@/lib/uploads';
import { buildZip, HOSTILE_TEST_LIMITS } from '@/scripts/make-hostile-fixtures';
import { variantPng } from '@/scripts/make-image-fixtures';
import { readShared, sharedDataDir } from '../support/shared-data';
import { adminUser, uploadRequest, uploadOutcome } from '../support/uploads';

/**
 * The memorisation check as a job on pg-boss with the real worker: it quarantines a planted near-copy and
 * passes a different image; a run that stops half-way resumes without duplicating anything; a worker
 * killed with SIGKILL mid-job is noticed by another worker, which retries the job to the end.
 */
const prisma = () => getPrisma();
let adminId: string;
const TOP = 5;

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  adminId = await adminUser();
});

afterAll(async () => {
  await stopBoss();
});

async function waitForJob(jobId: string, until: (job: { status: string; progress: number }) => boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId } });
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is ${job.status} at ${job.progress} after ${timeoutMs} ms: ${job.error ?? job.message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every synthetic image of the batch has ranks 1..TOP exactly once. */
async function expectOneSetOfMatchesPerImage(batchId: string) {
  const images = await prisma().image.findMany({ where: { batchId }, include: { nearestMatches: { orderBy: { rank: 'asc' } } } });
  for (const image of images) {
    expect(image.similarityCheckedAt, image.sourceName!).not.toBeNull();
    expect(image.nearestMatches.map((m) => m.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(image.nearestRealSimilarity).toBeCloseTo(image.nearestMatches[0].pearson, 12);
  }
  return images;
}

async function syntheticUpload(files: Array<{ name: string; bytes: Uint8Array }>, modality: 'CXR' | 'CT_HEAD') {
  const zip = await buildZip(files);
  const outcome = await uploadOutcome(handleBatchUpload(await uploadRequest({ fileName: 'synthetic.zip', bytes: zip, modality, origin: 'SYNTHETIC', newPool: modality === 'CXR' ? 'CXR-256' : 'CT_HEAD-64' }), adminId, HOSTILE_TEST_LIMITS));
  expect(outcome.status, JSON.stringify(outcome.body)).toBe(201);
  return outcome.body as { batchId: string; jobId: string; imported: number };
}

describe('the memorisation check, run by a worker', () => {
  let worker: WorkerHandle;
  afterAll(async () => {
    await worker?.stop();
  });

  it('quarantines a real image plus noise uploaded as synthetic and passes a different radiograph', async () => {
    // Real pool: a few demo chest radiographs.
    const demoDir = path.join(sharedDataDir(), 'demo', 'cxr-nih-256');
    const real = await importFolder({ dir: demoDir, modality: 'CXR', origin: 'REAL', source: 'jobs-test' }).catch(async () => null);
    const source = await prisma().image.findFirstOrThrow({ where: { pool: { key: 'CXR-256' }, origin: 'REAL' }, orderBy: { sourceName: 'asc' } });
    expect(real === null || real.poolKey === 'CXR-256').toBe(true);
    const sourcePixels = decode(readShared(path.join('demo', 'cxr-nih-256', source.sourceName!))).pixels as Uint8Array;
    let seed = 5;
    const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 21) - 10;
    const nearCopy = encodePng({ width: 256, height: 256, depth: 8, channels: 1, data: Uint8Array.from(sourcePixels, (v) => Math.min(255, Math.max(0, v + noise()))) });
    // A chest radiograph of another patient, in none of the real sets: the RSNA DICOM, 1024² → 256² (4×4 means).
    const rsna = decode(readShared('dicom/txrv_rsna_pneumonia_cxr.dcm'));
    const small = new Uint8Array(256 * 256);
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) {
      let sum = 0;
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += rsna.pixels[(4 * y + dy) * 1024 + 4 * x + dx];
      small[y * 256 + x] = Math.round(sum / 16);
    }
    const different = encodePng({ width: 256, height: 256, depth: 8, channels: 1, data: small });

    const { batchId, jobId } = await syntheticUpload([{ name: 'near-copy.png', bytes: nearCopy }, { name: 'different.png', bytes: different }], 'CXR');
    worker = await startWorker({ log: () => undefined });
    const job = await waitForJob(jobId, (j) => j.status === 'SUCCEEDED' || j.status === 'FAILED');
    expect(job.status, job.error ?? '').toBe('SUCCEEDED');
    const result = job.result as MemorisationCheckResult;
    expect(result).toMatchObject({ checked: 2, quarantined: 1, kernel: 'wasm-simd' });
    expect(result.trainingSets).toContain('mednist-cxr-64');
    expect(result.realImages).toBeGreaterThanOrEqual(100);

    const images = await expectOneSetOfMatchesPerImage(batchId);
    const copy = images.find((i) => i.sourceName === 'near-copy.png')!;
    const other = images.find((i) => i.sourceName === 'different.png')!;
    expect(copy.isQuarantined).toBe(true);
    expect(copy.nearestRealSimilarity).toBeGreaterThan(0.99);
    expect(copy.nearestMatches.some((m) => m.realImageId === source.id && m.pearson > 0.99)).toBe(true);
    expect(other.isQuarantined).toBe(false);
    expect(other.nearestRealSimilarity).toBeLessThan(0.97);
    expect(Math.max(...other.nearestMatches.map((m) => m.ssim))).toBeLessThan(0.9);
    const event = await prisma().auditEvent.findFirst({ where: { action: 'image.quarantine', targetId: copy.id } });
    expect(event?.actorId).toBeNull();
    console.log(
      `near-copy r ${copy.nearestRealSimilarity!.toFixed(4)} (quarantined), different r ${other.nearestRealSimilarity!.toFixed(4)} (passed); ` +
        `${result.realImages} pool + ${result.trainingImages} training images, index ${result.indexMs} ms, ${result.msPerImage?.toFixed(1)} ms per image`,
    );
  });
});

describe('resuming', () => {
  it('a run stopped after 3 of 6 images resumes with the other 3, and a third run adds nothing', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ name: `r-${i}.png`, bytes: variantPng(9100 + i, 40, 40) }));
    // The check queued with the batch, run by hand (no worker involved).
    const stored = await importBatch({ files, modality: 'CT_HEAD', origin: 'SYNTHETIC', kind: 'UPLOAD' });
    const job = stored.memorisationCheck!;
    const run = async (stopAfter: number | null) => {
      const controller = new AbortController();
      let calls = 0;
      return memorisationCheck.run({
        jobId: job.id,
        params: { batchId: stored.batchId },
        attempt: 1,
        createdAt: job.createdAt,
        signal: controller.signal,
        async progress(_fraction, message) {
          if (message?.includes('synthetic images checked')) calls++;
          if (stopAfter !== null && calls >= stopAfter) controller.abort(new Error('stopped by the test'));
        },
      });
    };
    await expect(run(3)).rejects.toThrow(/stopped by the test/);
    expect(await prisma().image.count({ where: { batchId: stored.batchId, similarityCheckedAt: { not: null } } })).toBe(3);
    const second = await run(null);
    expect(second).toMatchObject({ checked: 3, skippedAsDone: 3 });
    const third = await run(null);
    expect(third).toMatchObject({ checked: 0, skippedAsDone: 6 });
    await expectOneSetOfMatchesPerImage(stored.batchId);
    expect(await prisma().similarityMatch.count({ where: { image: { batchId: stored.batchId } } })).toBe(6 * TOP);
  });
});

describe('a worker killed mid-job', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  function spawnWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      env: { ...process.env, JOB_STALE_SECONDS: '3', JOB_MAINTENANCE_SECONDS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', () => undefined);
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    children.push(child);
    return child;
  }

  it('is retried by another worker and finishes with one set of matches per image', async () => {
    const files = Array.from({ length: 120 }, (_, i) => ({ name: `k-${String(i).padStart(3, '0')}.png`, bytes: variantPng(20_000 + i, 64, 64) }));
    const { batchId, jobId } = await syntheticUpload(files, 'CT_HEAD');
    const first = spawnWorker();
    await waitForJob(jobId, (j) => j.status === 'RUNNING' && j.progress >= 0.15, 120_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killed = await prisma().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(killed.status).toBe('RUNNING');
    expect(killed.progress).toBeLessThan(1);
    const checkedBefore = await prisma().image.count({ where: { batchId, similarityCheckedAt: { not: null } } });
    expect(checkedBefore).toBeGreaterThan(0);

    const second = spawnWorker();
    const job = await waitForJob(jobId, (j) => j.status === 'SUCCEEDED' || j.status === 'FAILED', 150_000);
    second.kill('SIGTERM');
    expect(job.status, job.error ?? '').toBe('SUCCEEDED');
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    const result = job.result as MemorisationCheckResult;
    expect(result.skippedAsDone).toBeGreaterThanOrEqual(checkedBefore);
    expect(result.checked + result.skippedAsDone).toBe(120);
    await expectOneSetOfMatchesPerImage(batchId);
    expect(await prisma().similarityMatch.count({ where: { image: { batchId } } })).toBe(120 * TOP);
    console.log(`killed after ${checkedBefore} of 120 images; attempt ${job.attempts} resumed with ${result.checked}`);
  }, 240_000);
});
