import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { CheckpointError, checkTargetPool, greyToPng, registerCheckpoint, runGenerationJob, targetPool, zipFiles } from '@/lib/gan';
import { importBatch } from '@/lib/pools/import';
import { graphCheckpointZip, tinyCheckpointFiles, tinyCheckpointZip } from '@/tests/support/gan';
import { cancelJob, enqueueJob } from '@/lib/jobs';
import { waitFor } from '@/tests/support/wait';

/** These jobs run on a separate worker process: poll as before, every 100 ms for up to 90 s. */
const WORKER_WAIT = { timeoutMs: 90_000, everyMs: 100 };

/**
 * The GAN registry and generation jobs against a real PostgreSQL: registering (stored, audited, idempotent),
 * refusing, generating into the pool with provenance, and a job that survives its worker being killed.
 */
const prisma = () => getPrisma();
const workers: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'worker.ts')], {
    // JOB_POLL_MS: the stand-in worker's polling; JOB_STALE_SECONDS / JOB_MAINTENANCE_SECONDS: how soon a pg-boss worker
    // (branch admin-uploads) retries a job whose worker died.
    env: { ...process.env, JOB_POLL_MS: '200', JOB_STALE_SECONDS: '3', JOB_MAINTENANCE_SECONDS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', () => undefined);
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  workers.push(child);
  return child;
}

async function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await gone;
}

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => killed(w, 'SIGKILL')));
});

describe('checkpoint registry', () => {
  it('stores the zip in Postgres, audits it, and registers the same content once', async () => {
    const zip = await tinyCheckpointZip({ seed: 101 });
    const first = await registerCheckpoint(zip, { actorId: null, source: 'test' });
    expect(first.isNew).toBe(true);
    expect(first.checkpoint).toMatchObject({ name: 'tiny test generator', modality: 'CT_HEAD', resolution: 16, latentDim: 8, byteSize: zip.length });
    const row = await prisma().checkpoint.findUniqueOrThrow({ where: { id: first.checkpoint.id } });
    const blob = await prisma().checkpointBlob.findUniqueOrThrow({ where: { storageKey: row.storageKey } });
    expect(Buffer.from(blob.bytes).equals(Buffer.from(zip))).toBe(true);
    expect(await prisma().auditEvent.count({ where: { action: 'checkpoint.register', targetId: row.id } })).toBe(1);
    const again = await registerCheckpoint(zip, { actorId: null });
    expect(again.isNew).toBe(false);
    expect(again.checkpoint.id).toBe(row.id);
  });

  it('refuses a broken checkpoint and stores nothing', async () => {
    const before = await Promise.all([prisma().checkpoint.count(), prisma().checkpointBlob.count()]);
    const { 'weights.bin': _, ...noShard } = await tinyCheckpointFiles({ seed: 102 });
    await expect(registerCheckpoint(await zipFiles(noShard), { actorId: null })).rejects.toThrow(CheckpointError);
    await expect(registerCheckpoint(await zipFiles(noShard), { actorId: null })).rejects.toThrow(/weights\.bin that are not in the zip/);
    expect(await Promise.all([prisma().checkpoint.count(), prisma().checkpointBlob.count()])).toEqual(before);
  });
});

describe('generation job', () => {
  it('imports one batch into the matching pool with per-image provenance and labels; a re-run changes nothing', async () => {
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 103, spec: { resolution: 16, latentDim: 8, labels: ['Effusion', 'Nodule'], baseChannels: 16, minChannels: 4 } }), { actorId: null });
    const params = { checkpointId: checkpoint.id, count: 30, seed: 5, truncation: 0.8, labels: [{ labels: ['Nodule', 'Effusion'], count: 10 }, { labels: [], count: 20 }] };
    const job = await prisma().job.create({ data: { kind: 'gan-generation', params, queueJobId: crypto.randomUUID() } });
    const progress: number[] = [];
    const ctx = { jobId: job.id, reportProgress: async (f: number) => void progress.push(f), isCancelled: () => false };
    const result = await runGenerationJob(params, ctx);
    expect(result).toMatchObject({ poolKey: 'CT_HEAD-16', imported: 30, duplicates: 0, resumed: false, backend: 'wasm' });
    expect(progress.at(-1)).toBe(1);
    const batch = await prisma().batch.findUniqueOrThrow({ where: { id: result.batchId }, include: { images: { orderBy: { sourceName: 'asc' } } } });
    expect(batch).toMatchObject({ kind: 'GENERATED', origin: 'SYNTHETIC', checkpointId: checkpoint.id, status: 'COMPLETE', imported: 30 });
    expect(batch.images).toHaveLength(30);
    const first = batch.images[0];
    expect(first).toMatchObject({ origin: 'SYNTHETIC', width: 16, height: 16, bitDepth: 8, labels: ['Effusion', 'Nodule'] });
    expect(first.provenance).toMatchObject({
      generator: { checkpointId: checkpoint.id, checkpointSha256: checkpoint.sha256, seed: 5, index: 0, labels: ['Effusion', 'Nodule'], truncation: 0.8, backend: 'wasm', codeVersion: 'lib/gan@1', jobId: job.id },
    });
    expect(batch.images[29].labels).toEqual([]);
    expect(new Set(batch.images.map((i) => i.sha256)).size).toBe(30);

    const again = await runGenerationJob(params, ctx);
    expect(again).toMatchObject({ batchId: result.batchId, resumed: true });
    expect(await prisma().image.count({ where: { batch: { checkpointId: checkpoint.id } } })).toBe(30);

    // Another job with the same parameters makes the same bytes: every image is caught as a duplicate.
    const twin = await prisma().job.create({ data: { kind: 'gan-generation', params, queueJobId: crypto.randomUUID() } });
    const twinResult = await runGenerationJob(params, { ...ctx, jobId: twin.id });
    expect(twinResult).toMatchObject({ imported: 0, duplicates: 30 });
  });

  it('takes a graph-model checkpoint (custom pixel-norm layer) the same way: registered, generated, provenance names the format', async () => {
    const { checkpoint, isNew } = await registerCheckpoint(await graphCheckpointZip({ manifest: { name: 'graph job test' } }), { actorId: null });
    expect(isNew).toBe(true);
    expect(checkpoint).toMatchObject({ modality: 'CXR', resolution: 16, latentDim: 8, labels: ['Effusion', 'Nodule'] });
    const params = { checkpointId: checkpoint.id, count: 12, seed: 3, labels: [{ labels: ['Nodule'], count: 6 }, { labels: [], count: 6 }] };
    const job = await prisma().job.create({ data: { kind: 'gan-generation', params, queueJobId: crypto.randomUUID() } });
    const result = await runGenerationJob(params, { jobId: job.id, reportProgress: async () => undefined, isCancelled: () => false });
    expect(result).toMatchObject({ poolKey: 'CXR-16', imported: 12, duplicates: 0 });
    const images = await prisma().image.findMany({ where: { batchId: result.batchId }, orderBy: { sourceName: 'asc' } });
    expect(images).toHaveLength(12);
    expect(images[0].labels).toEqual(['Nodule']);
    expect(images[0].provenance).toMatchObject({ generator: { checkpointId: checkpoint.id, modelFormat: 'graph-model', index: 0, backend: 'wasm' } });
    expect(new Set(images.map((i) => i.sha256)).size).toBe(12);
  });

  it('survives its worker being killed mid-way: another worker completes it, with no duplicate images', async () => {
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 104, spec: { resolution: 64, latentDim: 32, labels: [], baseChannels: 64, minChannels: 8 } }), { actorId: null });
    const count = 600;
    const job = await enqueueJob('gan-generation', { checkpointId: checkpoint.id, count, seed: 9 });
    const first = startWorkerProcess();
    const midway = await waitFor('the job to be part-way', async () => {
      const row = await prisma().job.findUnique({ where: { id: job.id } });
      return row && row.status === 'RUNNING' && row.progress > 0.1 && row.progress < 0.8 ? row : null;
    }, WORKER_WAIT);
    await killed(first, 'SIGKILL');
    expect(midway.status).toBe('RUNNING');
    expect(await prisma().batch.count({ where: { source: `gan-job:${job.id}` } })).toBe(0);

    startWorkerProcess();
    const done = await waitFor('the job to finish on the second worker', async () => {
      const row = await prisma().job.findUnique({ where: { id: job.id } });
      return row && row.status !== 'RUNNING' && row.status !== 'QUEUED' ? row : null;
    }, WORKER_WAIT);
    expect(done.status).toBe('SUCCEEDED');
    const batches = await prisma().batch.findMany({ where: { checkpointId: checkpoint.id } });
    expect(batches).toHaveLength(1);
    const images = await prisma().image.findMany({ where: { batchId: batches[0].id }, select: { sha256: true, provenance: true } });
    expect(images).toHaveLength(count);
    expect(new Set(images.map((i) => (i.provenance as { generator: { index: number } }).generator.index)).size).toBe(count);
    expect(done.result).toMatchObject({ imported: count, batchId: batches[0].id });
  }, 180_000);

  it('is cancelled between chunks and imports nothing', async () => {
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 105, spec: { resolution: 64, latentDim: 32, labels: [], baseChannels: 64, minChannels: 8 } }), { actorId: null });
    const job = await enqueueJob('gan-generation', { checkpointId: checkpoint.id, count: 2000, seed: 1 });
    startWorkerProcess();
    await waitFor('the job to run', async () => ((await prisma().job.findUnique({ where: { id: job.id } }))?.progress ?? 0) > 0.02, WORKER_WAIT);
    expect(await cancelJob(job.id)).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 3000));
    const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.status).toBe('CANCELLED');
    expect(row.progress).toBeLessThan(0.9);
    expect(await prisma().batch.count({ where: { checkpointId: checkpoint.id } })).toBe(0);
    expect(await cancelJob(job.id)).toBe('finished');
  }, 120_000);
});

describe('the pool a job fills', () => {
  it('is flagged while it has no real images, with how to add them; real images clear the warning', async () => {
    const checkpoint = { modality: 'CT_HEAD', resolution: 24 };
    const empty = await targetPool(checkpoint);
    expect(empty).toMatchObject({ poolKey: 'CT_HEAD-24', exists: false, realImages: 0 });
    expect(empty.warning).toMatch(/Pool CT_HEAD-24 has no real images.*no study can use.*npm run import -- --dir <folder> --modality CT_HEAD --origin real/);
    await expect(checkTargetPool(checkpoint, false)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/allowPoolWithoutRealImages/) });
    expect((await checkTargetPool(checkpoint, true)).warning).toBe(empty.warning);

    const noise = (i: number) => greyToPng(Uint8Array.from({ length: 24 * 24 }, (_, p) => (p * 37 + i * 101) % 256), 24);
    await importBatch({ files: [0, 1].map((i) => ({ name: `real-${i}.png`, bytes: noise(i) })), modality: 'CT_HEAD', origin: 'REAL', kind: 'UPLOAD', source: 'test' });
    const filled = await checkTargetPool(checkpoint, false);
    expect(filled).toMatchObject({ exists: true, realImages: 2, warning: null });
  });
});
