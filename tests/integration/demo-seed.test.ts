import { beforeAll, describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { HELD_OUT_IMAGES, listTrainingSets, loadTrainingSet, trainingImage } from '@/lib/privacy';
import { decode } from '@/lib/images';
import { PgImageStore } from '@/lib/db/image-store';
import { seedDemoAccounts } from '@/lib/seed/demo';
import { demoGenerationJobId, queueDemoGeneration, runDemoGeneration, seedDemoCheckpoints, type DemoJobOutcome } from '@/lib/seed/demo-gan';
import { DEMO_HELD_OUT_PER_POOL, seedHeldOutPools } from '@/lib/seed/demo-held-out';
import { seedDemoRadiomics } from '@/lib/seed/demo-radiomics';
import { DEMO_STUDIES, seedDemoStudies } from '@/lib/seed/demo-study';

/**
 * `npm start`'s demo, as scripts/start.ts runs it: held-out MedNIST images as the real class, the demo GANs'
 * generation jobs (on a worker) as the synthetic class, their memorisation checks awaited, then the demo studies.
 */
describe("npm start's demo seed", () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  let generation: DemoJobOutcome[] = [];

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    await seedDemoAccounts('demo-password-test');
    const checkpoints = await seedDemoCheckpoints(log);
    await seedHeldOutPools(getConfig().trainingSetsDir, log);
    generation = await runDemoGeneration(await queueDemoGeneration(checkpoints, log), log);
    await seedDemoStudies(generation, log);
  }, 600_000);

  it('imports held-out images only (the last 1,000 of each training set), with their provenance', async () => {
    const config = getConfig();
    for (const [poolKey, setName] of [['CT_HEAD-64', 'mednist-headct-64'], ['CXR-64', 'mednist-cxr-64']] as const) {
      const images = await getPrisma().image.findMany({ where: { pool: { key: poolKey }, origin: 'REAL' }, select: { provenance: true, storageKey: true } });
      expect(images).toHaveLength(DEMO_HELD_OUT_PER_POOL);
      const set = loadTrainingSet(config.trainingSetsDir!, listTrainingSets(config.trainingSetsDir).sets.find((s) => s.name === setName)!);
      const store = new PgImageStore();
      for (const image of images.slice(0, 5)) {
        const provenance = image.provenance as { dataset: string; index: number };
        expect(provenance.dataset).toBe(`${setName}.u8.gz`);
        expect(provenance.index).toBeGreaterThanOrEqual(set.count - HELD_OUT_IMAGES);
        expect(provenance.index).toBeLessThan(set.count);
        // The stored pixels are that image of the set, unchanged.
        expect(Buffer.from(decode((await store.get(image.storageKey))!).pixels as Uint8Array).equals(Buffer.from(trainingImage(set, provenance.index)))).toBe(true);
      }
      const indices = images.map((i) => (i.provenance as { index: number }).index);
      expect(Math.min(...indices)).toBe(set.count - HELD_OUT_IMAGES);
    }
  });

  it('makes the synthetic images with the generation jobs and checks every one before the studies open', async () => {
    const prisma = getPrisma();
    expect(generation.map((g) => [g.poolKey, g.ok])).toEqual([['CT_HEAD-64', true], ['CXR-64', true]]);
    for (const name of ['demo-ct-64', 'demo-cxr-64']) {
      const job = await prisma.job.findUniqueOrThrow({ where: { id: demoGenerationJobId(name) } });
      expect(job.kind).toBe('gan-generation');
      expect(job.status).toBe('SUCCEEDED');
      const { batchId } = job.result as { batchId: string };
      const batch = await prisma.batch.findUniqueOrThrow({ where: { id: batchId }, include: { checkpoint: true } });
      expect(batch.checkpoint?.name).toBe(name);
      const check = await prisma.job.findFirstOrThrow({ where: { batchId, kind: 'memorisation-check' } });
      expect(check.status).toBe('SUCCEEDED');
      // The distance the batch queued ran before the start finished: pool and checkpoint, from one job.
      const distance = await prisma.job.findFirstOrThrow({ where: { batchId, kind: 'radiomics-distance' } });
      expect(distance.status).toBe('SUCCEEDED');
      const stored = await prisma.radiomicsDistance.findMany({ where: { OR: [{ poolId: batch.poolId }, { checkpointId: batch.checkpointId }] } });
      expect(stored.map((d) => d.jobId)).toEqual([distance.id, distance.id]);
      expect(stored[0].frd).toBe(stored[1].frd);
    }
    // Nothing was left for the seed's fallback (demo-radiomics.ts), which computes only what has no distance.
    expect(await prisma.job.count({ where: { id: { startsWith: 'demo-radiomics-' } } })).toBe(0);
    expect(await prisma.image.count({ where: { origin: 'SYNTHETIC' } })).toBe(200);
    expect(await prisma.image.count({ where: { origin: 'SYNTHETIC', similarityCheckedAt: null } })).toBe(0);
    expect(await prisma.image.count({ where: { isStandIn: true } })).toBe(0);
  });

  it('opens the demo studies on those pools, or says why not', async () => {
    const studies = await getPrisma().study.findMany({ where: { name: { in: DEMO_STUDIES.map((s) => s.name) } } });
    expect(studies).toHaveLength(2);
    for (const study of studies) {
      const opened = lines.some((l) => l.startsWith(`Opened the demo study "${study.name}"`));
      const why = lines.find((l) => l.startsWith(`The demo study "${study.name}" stays a draft`));
      expect(study.status === 'OPEN' ? opened : !!why).toBe(true);
    }
    console.log(lines.join('\n'));
  });

  it('a second start changes nothing', async () => {
    const prisma = getPrisma();
    const before = await Promise.all([prisma.image.count(), prisma.job.count(), prisma.study.count()]);
    const again: string[] = [];
    const checkpoints = await seedDemoCheckpoints((l) => again.push(l));
    await seedHeldOutPools(getConfig().trainingSetsDir, (l) => again.push(l));
    await seedDemoStudies(await runDemoGeneration(await queueDemoGeneration(checkpoints, (l) => again.push(l)), (l) => again.push(l)), (l) => again.push(l));
    expect(await Promise.all([prisma.image.count(), prisma.job.count(), prisma.study.count()])).toEqual(before);
  }, 120_000);

  it('computes a distance a demo database lacks (one from before the distance existed), once', async () => {
    const prisma = getPrisma();
    const pool = await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } });
    const before = await prisma.radiomicsDistance.findUniqueOrThrow({ where: { poolId: pool.id } });
    await prisma.radiomicsDistance.delete({ where: { poolId: pool.id } });
    const logged: string[] = [];
    await seedDemoRadiomics((l) => logged.push(l));
    const after = await prisma.radiomicsDistance.findUniqueOrThrow({ where: { poolId: pool.id } });
    expect(after.frd).toBe(before.frd);
    expect(after.jobId).toMatch(/^demo-radiomics-batch-/);
    expect(logged).toContain(`Fréchet Radiomics Distance of pool CT_HEAD-64: ${before.frd.toPrecision(3)} (precision ${before.precision.toFixed(2)}, recall ${before.recall.toFixed(2)}).`);
    // Only that batch's pool and checkpoint; a second call finds nothing missing.
    expect(await prisma.job.count({ where: { id: { startsWith: 'demo-radiomics-' } } })).toBe(1);
    await seedDemoRadiomics(() => undefined);
    expect(await prisma.job.count({ where: { id: { startsWith: 'demo-radiomics-' } } })).toBe(1);
  }, 120_000);
});
