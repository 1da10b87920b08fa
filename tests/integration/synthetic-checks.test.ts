import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { ConflictError } from '@/lib/errors';
import { runGenerationJob } from '@/lib/gan';
import { memorisationCheck } from '@/lib/jobs/handlers';
import { importFolder } from '@/lib/pools/folder';
import { poolSummaries } from '@/lib/pools/summary';
import { seedDemoCheckpoints } from '@/lib/seed/demo-gan';
import { previewDesign, wizardChoices } from '@/lib/studies/design';
import { candidateImages, createStudy, openStudy } from '@/lib/studies/store';
import { sharedDataDir } from '../support/shared-data';

/** Whatever makes a synthetic batch, its memorisation check is queued with it (in the same transaction). */
async function checksFor(batchId: string) {
  return getPrisma().job.findMany({ where: { batchId, kind: 'memorisation-check' } });
}

/** Runs a queued check here, as a worker would. */
async function runCheck(job: { id: string; createdAt: Date }, batchId: string) {
  const result = await memorisationCheck.run({ jobId: job.id, params: { batchId }, attempt: 1, createdAt: job.createdAt, signal: new AbortController().signal, progress: async () => undefined });
  await getPrisma().job.update({ where: { id: job.id }, data: { status: 'SUCCEEDED', progress: 1, result, finishedAt: new Date() } });
}

/** Real demo head-CT files flipped upside down: new bytes, same encoding, not near-copies of any real image. */
function flippedFolder(count: number, skip = 0): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synthetic-'));
  const demo = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
  for (const name of fs.readdirSync(demo).filter((f) => f.endsWith('.png')).sort().slice(skip, skip + count)) {
    const image = decodePng(fs.readFileSync(path.join(demo, name)));
    const pixels = image.data as Uint8Array;
    const flipped = new Uint8Array(pixels.length);
    for (let y = 0; y < image.height; y++) flipped.set(pixels.subarray(y * image.width, (y + 1) * image.width), (image.height - 1 - y) * image.width);
    fs.writeFileSync(path.join(dir, name), encodePng({ width: image.width, height: image.height, depth: 8, channels: 1, data: flipped }));
  }
  return dir;
}

async function summaryFor(key: string) {
  return (await poolSummaries()).find((p) => p.key === key)!;
}

describe('every synthetic batch queues the memorisation check; only checked images enter a study', () => {
  let poolId: string;
  let readerId: string;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    await importFolder({ dir: path.join(sharedDataDir(), 'demo', 'headct-mednist-64'), modality: 'CT_HEAD', origin: 'REAL', source: 'checks-test' });
    poolId = (await getPrisma().pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } })).id;
    readerId = (await getPrisma().user.create({ data: { email: `checks-${Date.now()}@test.local`, name: 'Reader', role: 'READER', passwordHash: 'x' } })).id;
  }, 120_000);

  it('a real batch queues none', async () => {
    const batch = await getPrisma().batch.findFirstOrThrow({ where: { source: 'checks-test' } });
    expect(await checksFor(batch.id)).toEqual([]);
  });

  it('a generation job (the worker job an admin starts, and the demo seed) queues one', async () => {
    const checkpoints = await seedDemoCheckpoints(() => undefined);
    const result = await runGenerationJob({ checkpointId: checkpoints.get('demo-ct-64')!, count: 4, seed: 3 }, { jobId: `checks-gen-${Date.now()}`, reportProgress: async () => undefined, isCancelled: () => false });
    const checks = await checksFor(result.batchId);
    expect(checks.map((c) => [c.id, c.status])).toEqual([[result.memorisationCheckJobId, 'QUEUED']]);
    // Until it runs, the batch's images are not eligible; once it ran, they are.
    const generated = await getPrisma().image.findMany({ where: { batchId: result.batchId }, select: { id: true } });
    const eligible = async () => new Set((await candidateImages([poolId])).map((c) => c.id));
    const before = await eligible();
    expect(generated.every((g) => !before.has(g.id))).toBe(true);
    await runCheck(checks[0], result.batchId);
    const after = await eligible();
    const quarantined = await getPrisma().image.count({ where: { batchId: result.batchId, isQuarantined: true } });
    expect(generated.filter((g) => after.has(g.id))).toHaveLength(4 - quarantined);
  });

  it('npm run import of a synthetic folder (importFolder) queues one; the wizard, the preview and opening count only checked images', async () => {
    const prisma = getPrisma();
    const result = await importFolder({ dir: flippedFolder(30), modality: 'CT_HEAD', origin: 'SYNTHETIC', source: 'checks-synthetic' });
    expect(result.imported).toBe(30);
    const [check] = await checksFor(result.batchId);
    expect((await checksFor(result.batchId)).map((c) => c.status)).toEqual(['QUEUED']);

    const checkedBefore = await prisma.image.count({ where: { poolId, origin: 'SYNTHETIC', similarityCheckedAt: { not: null }, isQuarantined: false } });
    const pool = (await wizardChoices()).pools.find((p) => p.id === poolId)!;
    expect(pool.synthetic).toBe(checkedBefore);
    const config = { imagesPerReader: 20, maxRunLength: 3 };
    const preview = await previewDesign({ config, poolIds: [poolId], readerIds: [readerId] });
    expect(preview.eligible.synthetic).toBe(checkedBefore);
    expect(preview.problems.join(' ')).toMatch(/30 synthetic image\(s\) of the chosen pools \(CT_HEAD-64: 30\) are still being checked/);

    // Opening refuses while the check has not run: a conflict that says how many and to wait; nothing is frozen.
    const study = await createStudy({ name: 'Checks', config, poolIds: [poolId], readerIds: [readerId], createdById: null });
    const refused = await openStudy(study.id, null).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/^30 synthetic image\(s\) .* still being checked for memorisation; only checked images can enter a study\. Wait for the check to finish/);
    expect(await prisma.study.findUniqueOrThrow({ where: { id: study.id } })).toMatchObject({ status: 'DRAFT', configHash: null });
    expect(await prisma.studyImage.count({ where: { studyId: study.id } })).toBe(0);
    expect((await summaryFor('CT_HEAD-64')).unchecked).toBe(30);

    // The worker runs the check: the pool page's "being checked" count goes to 0, and the study opens.
    await runCheck(check, result.batchId);
    expect((await summaryFor('CT_HEAD-64')).unchecked).toBe(0);
    const quarantined = await prisma.image.count({ where: { batchId: result.batchId, isQuarantined: true } });
    expect((await wizardChoices()).pools.find((p) => p.id === poolId)!.synthetic).toBe(checkedBefore + 30 - quarantined);
    await openStudy(study.id, null);
    const frozen = await prisma.studyImage.findMany({ where: { studyId: study.id }, include: { image: true } });
    expect(frozen.length).toBeGreaterThan(0);
    expect(frozen.every((f) => f.image.origin === 'REAL' || (f.image.similarityCheckedAt !== null && !f.image.isQuarantined))).toBe(true);
  });
});
