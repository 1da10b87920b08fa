import { getPrisma } from '@/lib/db/client';
import { UnprocessableError } from '@/lib/errors';
import { createStudy, openStudy } from '@/lib/studies/store';
import { seedDemoSynthetic } from './demo-gan';
import { seedDemoRadiomics } from './demo-radiomics';
import { seedStandIns } from './stand-ins';

export const DEMO_STUDY_NAME = 'Demo: chest radiographs and head CT';
/** Opened instead when the leak audit refuses the mixed demo (the demo GAN's CT can be told apart by cheap features). */
export const DEMO_FALLBACK_STUDY_NAME = 'Demo: chest radiographs';

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
  await seedDemoRadiomics(log);
  if (await prisma.study.findFirst({ where: { name: { in: [DEMO_STUDY_NAME, DEMO_FALLBACK_STUDY_NAME] }, status: 'OPEN' } })) return;
  const readers = await prisma.user.findMany({ where: { email: { in: ['reader1@demo.local', 'reader2@demo.local'] } }, select: { id: true } });
  const coordinator = await prisma.user.findUnique({ where: { email: 'coordinator@demo.local' }, select: { id: true } });
  if (readers.length < 2) return;
  const open = async (name: string, poolKeys: string[], config: Record<string, unknown>, description: string) => {
    const pools = await prisma.pool.findMany({ where: { key: { in: poolKeys } }, select: { id: true } });
    if (pools.length < poolKeys.length) return false;
    const existing = await prisma.study.findFirst({ where: { name } });
    const study =
      existing ??
      (await createStudy({ name, description, config, poolIds: pools.map((p) => p.id), readerIds: readers.map((r) => r.id), createdById: coordinator?.id ?? null }));
    if (study.status !== 'DRAFT') return study.status === 'OPEN';
    try {
      await openStudy(study.id, coordinator?.id ?? null);
      log(`Opened the demo study "${name}" for reader1 and reader2.`);
      return true;
    } catch (error) {
      if (!(error instanceof UnprocessableError)) throw error;
      // The leak audit is doing its job: the study stays a draft, with the report on its page.
      log(`The demo study "${name}" stays a draft: ${error.message.split('\n').slice(0, 3).join(' ')}`);
      return false;
    }
  };
  if (await open(DEMO_STUDY_NAME, ['CXR-256', 'CT_HEAD-64'], { imagesPerReader: 24, syntheticFraction: 0.5, practiceItems: 2, blockSize: 12, maxRunLength: 3, strata: { by: ['modality'] } }, 'A short demonstration: 24 images (half real, half synthetic) after 2 practice images.')) return;
  await open(DEMO_FALLBACK_STUDY_NAME, ['CXR-256'], { imagesPerReader: 20, syntheticFraction: 0.5, practiceItems: 2, blockSize: 10, maxRunLength: 3 }, 'A short demonstration: 20 chest radiographs (half real, half synthetic) after 2 practice images.');
}
