import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfigCache } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { DomainError } from '@/lib/errors';
import { generateGrey, leaseRange, loadRegisteredCheckpoint, registerCheckpoint, startBrowserGenerationJob, submitChunk, type Lease } from '@/lib/gan';
import { graphCheckpointZip, tinyCheckpointZip } from '@/tests/support/gan';
import { cancelJob } from '@/lib/jobs';
import { startWorker, type WorkerHandle } from '@/lib/jobs/worker';
import { waitFor } from '@/tests/support/wait';

/**
 * Browser generation against a real PostgreSQL, with Node standing in for the browsers (the pixels come from
 * the same checkpoint on wasm): ranges handed out once, an expired lease handed out again, two "browsers"
 * sharing a job, a tampered chunk refused with nothing kept, and the one-transaction import with provenance.
 */
const prisma = () => getPrisma();
type Range = Extract<Lease, { kind: 'range' }>;

function withEnv(values: Record<string, string>) {
  Object.assign(process.env, values);
  resetConfigCache();
}

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
});

let worker: WorkerHandle | null = null;

afterEach(async () => {
  await worker?.stop();
  worker = null;
  for (const key of ['GAN_BROWSER_CHUNK_IMAGES', 'GAN_BROWSER_LEASE_SECONDS', 'GAN_BROWSER_CHECK_FRACTION', 'GAN_BROWSER_IDLE_SECONDS', 'JOB_MAINTENANCE_SECONDS']) delete process.env[key];
  resetConfigCache();
});

type Made = { index: number; backend: string; checkedBy: string | null };
async function madeBy(jobId: string): Promise<Made[]> {
  const row = await prisma().job.findUniqueOrThrow({ where: { id: jobId } });
  const images = await prisma().image.findMany({ where: { batchId: (row.result as { batchId: string }).batchId } });
  return images.map((i) => (i.provenance as { generator: Made }).generator).sort((a, b) => a.index - b.index);
}

async function range(jobId: string): Promise<Range> {
  const lease = await leaseRange(jobId, null);
  if (lease.kind !== 'range') throw new Error(`expected a range, got ${JSON.stringify(lease)}`);
  return lease;
}

/** What an honest browser sends for a range: the checkpoint's own pixels. */
async function honestImages(checkpointId: string, lease: Range, seed: number) {
  const checkpoint = await loadRegisteredCheckpoint(checkpointId);
  const pixels = await generateGrey(checkpoint, lease.items, { seed });
  return lease.items.map((item, i) => ({ index: item.index, pixels: pixels[i] }));
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the chunk was accepted');
}

describe('generation in browsers', () => {
  it('two browsers share one job: every index once, checked samples, one batch with provenance', async () => {
    withEnv({ GAN_BROWSER_CHUNK_IMAGES: '8' });
    const { checkpoint } = await registerCheckpoint(await graphCheckpointZip({ manifest: { name: 'browser job graph' } }), { actorId: null });
    const params = { checkpointId: checkpoint.id, count: 30, seed: 77, labels: [{ labels: ['Effusion'], count: 10 }, { labels: [], count: 20 }] };
    const job = await startBrowserGenerationJob(params, null);
    // Browser A and B lease alternately; ranges never overlap.
    const a1 = await range(job.id);
    const b1 = await range(job.id);
    expect([a1.start, a1.end, b1.start, b1.end]).toEqual([0, 8, 8, 16]);
    const outcome = await submitChunk(job.id, { leaseToken: b1.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, b1, 77) });
    expect(outcome).toMatchObject({ accepted: 8, maxDelta: 0, jobStatus: 'RUNNING' });
    expect(outcome.checked).toHaveLength(2);
    await submitChunk(job.id, { leaseToken: a1.leaseToken, backend: 'webgpu', images: await honestImages(checkpoint.id, a1, 77) });
    const a2 = await range(job.id);
    const b2 = await range(job.id);
    expect([a2.start, b2.start, b2.end]).toEqual([16, 24, 30]);
    expect((await leaseRange(job.id, null)).kind).toBe('wait');
    await submitChunk(job.id, { leaseToken: b2.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, b2, 77) });
    const last = await submitChunk(job.id, { leaseToken: a2.leaseToken, backend: 'webgpu', images: await honestImages(checkpoint.id, a2, 77) });
    expect(last).toMatchObject({ jobStatus: 'SUCCEEDED', progress: 1 });

    const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.result).toMatchObject({ imported: 30, poolKey: 'CXR-16', checkedBy: 'server:wasm' });
    const images = await prisma().image.findMany({ where: { batchId: (row.result as { batchId: string }).batchId } });
    const indices = images.map((i) => (i.provenance as { generator: { index: number } }).generator.index).sort((x, y) => x - y);
    expect(indices).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const first = images.find((i) => (i.provenance as { generator: { index: number } }).generator.index === 0)!;
    expect(first.labels).toEqual(['Effusion']);
    expect(first.provenance).toMatchObject({ generator: { backend: 'browser:webgpu', checkedBy: 'server:wasm', seed: 77, modelFormat: 'graph-model', jobId: job.id } });
    expect(images.filter((i) => (i.provenance as { generator: { checkedSample: boolean } }).generator.checkedSample)).toHaveLength(8);
    expect(await prisma().generationChunk.count({ where: { jobId: job.id } })).toBe(0);
  });

  it('refuses indices out of order', async () => {
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 330 }), { actorId: null });
    const job = await startBrowserGenerationJob({ checkpointId: checkpoint.id, count: 4, seed: 3 }, null);
    const lease = await range(job.id);
    const images = await honestImages(checkpoint.id, lease, 3);
    [images[0].index, images[1].index] = [images[1].index, images[0].index];
    expect((await refusal(submitChunk(job.id, { leaseToken: lease.leaseToken, backend: 'webgl', images }))).message).toMatch(/holds indices \[1,0,2,3\], not exactly the leased range/);
  });

  it('hands a closed tab\'s range out again once its lease expires; the late chunk is then refused', async () => {
    withEnv({ GAN_BROWSER_CHUNK_IMAGES: '4', GAN_BROWSER_LEASE_SECONDS: '2' });
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 301 }), { actorId: null });
    const job = await startBrowserGenerationJob({ checkpointId: checkpoint.id, count: 8, seed: 5 }, null);
    const closedTab = await range(job.id);
    const other = await range(job.id);
    expect((await leaseRange(job.id, null)).kind).toBe('wait');
    await new Promise((r) => setTimeout(r, 2300));
    const again = await range(job.id);
    expect([again.start, again.end]).toEqual([closedTab.start, closedTab.end]);
    expect(again.leaseToken).not.toBe(closedTab.leaseToken);
    const late = await refusal(submitChunk(job.id, { leaseToken: closedTab.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, closedTab, 5) }));
    expect(late.kind).toBe('conflict');
    expect(late.message).toMatch(/no longer yours/);
    await submitChunk(job.id, { leaseToken: again.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, again, 5) });
    // `other` expired too, but nobody took it: its token still holds.
    const done = await submitChunk(job.id, { leaseToken: other.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, other, 5) });
    expect(done.jobStatus).toBe('SUCCEEDED');
  });

  for (const tamper of ['one image altered', 'two latent indices swapped', 'an index outside the range'] as const) {
    it(`refuses a tampered chunk (${tamper}): the job fails and nothing is kept`, async () => {
      withEnv({ GAN_BROWSER_CHUNK_IMAGES: '4', GAN_BROWSER_CHECK_FRACTION: '1' });
      const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 310 + tamper.length }), { actorId: null });
      const job = await startBrowserGenerationJob({ checkpointId: checkpoint.id, count: 8, seed: 9 }, null);
      const good = await range(job.id);
      await submitChunk(job.id, { leaseToken: good.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, good, 9) });
      const bad = await range(job.id);
      const images = await honestImages(checkpoint.id, bad, 9);
      if (tamper === 'one image altered') images[2].pixels = images[2].pixels.map((v, p) => (p < 40 ? 255 - v : v));
      // Indices in order, but the images of latents 4 and 5 trade places.
      if (tamper === 'two latent indices swapped') [images[0].pixels, images[1].pixels] = [images[1].pixels, images[0].pixels];
      if (tamper === 'an index outside the range') images[3].index = 0;
      const error = await refusal(submitChunk(job.id, { leaseToken: bad.leaseToken, backend: 'webgl', images }));
      expect(error.kind).toBe('unprocessable');
      expect(error.message).toMatch(tamper === 'one image altered' ? /image 6 differs from the server's regeneration on wasm \(max \|Δ\| \d+ grey levels/ : tamper === 'two latent indices swapped' ? /image 4 differs/ : /not exactly the leased range/);
      expect(error.message).toMatch(/job failed and none of its images were kept/);
      const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id } });
      expect(row.status).toBe('FAILED');
      expect(await prisma().generationChunk.count({ where: { jobId: job.id } })).toBe(0);
      expect(await prisma().batch.count({ where: { checkpointId: checkpoint.id } })).toBe(0);
      expect(await leaseRange(job.id, null)).toMatchObject({ kind: 'finished', status: 'FAILED' });
    });
  }

  it('a cancelled job takes no more chunks and keeps none', async () => {
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 320 }), { actorId: null });
    const job = await startBrowserGenerationJob({ checkpointId: checkpoint.id, count: 40, seed: 2 }, null);
    const lease = await range(job.id);
    expect(await cancelJob(job.id)).toBe('cancelled');
    const error = await refusal(submitChunk(job.id, { leaseToken: lease.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, lease, 2) }));
    expect(error.message).toMatch(/cancelled/);
    expect(await prisma().generationChunk.count({ where: { jobId: job.id } })).toBe(0);
  });

  it('a job no browser works on is taken over by the worker: it makes the free ranges, a joining browser only gets others, every index once', async () => {
    withEnv({ GAN_BROWSER_CHUNK_IMAGES: '4', GAN_BROWSER_LEASE_SECONDS: '2', GAN_BROWSER_IDLE_SECONDS: '2', JOB_MAINTENANCE_SECONDS: '1' });
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 340 }), { actorId: null });
    const count = 160;
    const job = await startBrowserGenerationJob({ checkpointId: checkpoint.id, count, seed: 13 }, null);
    // One browser makes 0–3, then its tab closes holding 4–7.
    const first = await range(job.id);
    await submitChunk(job.id, { leaseToken: first.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, first, 13) });
    const closedTab = await range(job.id);
    worker = await startWorker({ log: () => undefined });
    // Not before the closed tab's lease ran out and the job then sat idle for GAN_BROWSER_IDLE_SECONDS.
    const taken = await waitFor('the worker to take the job', async () => (await prisma().generationChunk.findFirst({ where: { jobId: job.id, backend: 'worker:wasm' } })) ?? false);
    expect(taken.updatedAt.getTime()).toBeGreaterThanOrEqual(new Date(closedTab.expiresAt).getTime() + 2000 - 50);
    // A browser joining now is handed a range nobody holds, or told to wait; never one of the worker's.
    const joined = await leaseRange(job.id, null);
    if (joined.kind === 'range') {
      const held = await prisma().generationChunk.findMany({ where: { jobId: job.id }, select: { start: true, status: true, backend: true } });
      expect(held.filter((c) => c.start === joined.start)).toHaveLength(1);
      await submitChunk(job.id, { leaseToken: joined.leaseToken, backend: 'webgpu', images: await honestImages(checkpoint.id, joined, 13) });
    }
    const done = await waitFor('the job to finish', async () => {
      const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id } });
      return row.status !== 'RUNNING' && row;
    });
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    const made = await madeBy(job.id);
    expect(made.map((m) => m.index)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(made.slice(0, 4).every((m) => m.backend === 'browser:webgl' && m.checkedBy === 'server:wasm')).toBe(true);
    // The closed tab's range was remade by the worker; nothing of it came from a browser.
    expect(made.slice(4, 8).every((m) => m.backend === 'worker:wasm' && m.checkedBy === null)).toBe(true);
    const byWorker = made.filter((m) => m.backend === 'worker:wasm').length;
    const byJoined = made.filter((m) => m.backend === 'browser:webgpu').length;
    expect(byWorker + byJoined).toBe(count - 4);
    expect(byJoined).toBe(joined.kind === 'range' ? joined.end - joined.start : 0);
    expect(done.result).toMatchObject({ imported: count, backend: expect.stringContaining('worker:wasm'), checkedBy: 'server:wasm' });
    expect(await prisma().generationChunk.count({ where: { jobId: job.id } })).toBe(0);
  }, 120_000);

  it('no takeover while a browser holds live leases, however long it takes', async () => {
    withEnv({ GAN_BROWSER_CHUNK_IMAGES: '4', GAN_BROWSER_LEASE_SECONDS: '8', GAN_BROWSER_IDLE_SECONDS: '1', JOB_MAINTENANCE_SECONDS: '1' });
    const { checkpoint } = await registerCheckpoint(await tinyCheckpointZip({ seed: 341 }), { actorId: null });
    const job = await startBrowserGenerationJob({ checkpointId: checkpoint.id, count: 8, seed: 21 }, null);
    const a = await range(job.id);
    const b = await range(job.id);
    worker = await startWorker({ log: () => undefined });
    // Four idle periods and several worker passes while the browser still works on both ranges.
    await new Promise((r) => setTimeout(r, 4000));
    const chunks = await prisma().generationChunk.findMany({ where: { jobId: job.id }, select: { start: true, status: true, leaseToken: true } });
    expect(chunks.map((c) => [c.start, c.status])).toEqual(expect.arrayContaining([[0, 'LEASED'], [4, 'LEASED']]));
    expect(chunks.map((c) => c.leaseToken).sort()).toEqual([a.leaseToken, b.leaseToken].sort());
    await submitChunk(job.id, { leaseToken: a.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, a, 21) });
    const last = await submitChunk(job.id, { leaseToken: b.leaseToken, backend: 'webgl', images: await honestImages(checkpoint.id, b, 21) });
    expect(last.jobStatus).toBe('SUCCEEDED');
    expect((await madeBy(job.id)).map((m) => m.backend)).toEqual(new Array(8).fill('browser:webgl'));
  }, 60_000);
});
