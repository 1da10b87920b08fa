import { getPrisma } from '@/lib/db/client';
import { createStudy, openStudy } from '@/lib/studies/lifecycle';
import { seedDemoSynthetic } from './demo-gan';
import { seedStandIns } from './stand-ins';

export const DEMO_STUDY_NAME = 'Demo: chest radiographs and head CT';

/**
 * One open demo study over the demo pools, stratified by modality, with two practice images, for both demo
 * readers. Created once. Synthetic head CT comes from the shipped demo GAN (checkpoints/demo-ct-64, 64×64
 * like the pool); the chest radiograph pool is 256×256 and no demo generator of that size is shipped, so
 * its synthetic images stay stand-ins (lib/seed/stand-ins.ts).
 */
export async function seedDemoStudy(log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  await seedStandIns('CXR-256', 60, log);
  if (!(await seedDemoSynthetic('CT_HEAD-64', 'demo-ct-64', 60, log))) await seedStandIns('CT_HEAD-64', 60, log);
  if (await prisma.study.findFirst({ where: { name: DEMO_STUDY_NAME } })) return;
  const pools = await prisma.pool.findMany({ where: { key: { in: ['CXR-256', 'CT_HEAD-64'] } }, select: { id: true } });
  const readers = await prisma.user.findMany({ where: { email: { in: ['reader1@demo.local', 'reader2@demo.local'] } }, select: { id: true } });
  const coordinator = await prisma.user.findUnique({ where: { email: 'coordinator@demo.local' }, select: { id: true } });
  if (pools.length < 2 || readers.length < 2) return;
  const study = await createStudy({
    name: DEMO_STUDY_NAME,
    description: 'A short demonstration: 24 images (half real, half synthetic) after 2 practice images.',
    config: { imagesPerReader: 24, syntheticFraction: 0.5, practiceItems: 2, blockSize: 12, maxRunLength: 3, strata: { by: ['modality'] } },
    poolIds: pools.map((p) => p.id),
    readerIds: readers.map((r) => r.id),
    createdById: coordinator?.id ?? null,
  });
  await openStudy(study.id, coordinator?.id ?? null);
  log(`Opened the demo study "${DEMO_STUDY_NAME}" for reader1 and reader2.`);
}
