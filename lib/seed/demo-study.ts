import { getPrisma } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { createStudy, openStudy } from '@/lib/studies/store';
import type { DemoJobOutcome } from './demo-gan';
import { seedDemoRadiomics } from './demo-radiomics';

/**
 * The demo studies: one per demo generator, each over one pool whose real images are the generator's
 * held-out MedNIST images (demo-held-out.ts) and whose synthetic images its generation job made and the
 * memorisation check cleared (demo-gan.ts). Both demo readers are invited; each is created once and opened
 * when the leak audit's gate passes (pixel detectability is reported, not a gate). A study that cannot open
 * stays a draft, and the start output says why.
 */
export const DEMO_STUDIES = [
  { name: 'Demo: head CT, 64 px', poolKey: 'CT_HEAD-64', description: 'A short demonstration: 20 head-CT slices (half real MedNIST images held out from the generator’s training, half made by the demo GAN) after 2 practice images.' },
  { name: 'Demo: chest radiographs, 64 px', poolKey: 'CXR-64', description: 'A short demonstration: 20 chest radiographs (half real MedNIST images held out from the generator’s training, half made by the demo GAN) after 2 practice images.' },
] as const;

const DEMO_CONFIG = { imagesPerReader: 20, syntheticFraction: 0.5, practiceItems: 2, blockSize: 10, maxRunLength: 3 };

export async function seedDemoStudies(generation: DemoJobOutcome[], log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  await seedDemoRadiomics(log);
  const readers = await prisma.user.findMany({ where: { email: { in: ['reader1@demo.local', 'reader2@demo.local'] } }, select: { id: true } });
  const coordinator = await prisma.user.findUnique({ where: { email: 'coordinator@demo.local' }, select: { id: true } });
  if (readers.length < 2) return;
  for (const demo of DEMO_STUDIES) {
    const existing = await prisma.study.findFirst({ where: { name: demo.name } });
    if (existing && existing.status !== 'DRAFT') continue;
    const pool = await prisma.pool.findUnique({ where: { key: demo.poolKey }, select: { id: true } });
    const made = generation.find((g) => g.poolKey === demo.poolKey);
    if (!pool || !made?.ok) {
      log(`The demo study "${demo.name}" was not opened: ${!pool ? `there is no pool ${demo.poolKey}` : made ? made.summary : `no demo generator made images for ${demo.poolKey}`}.`);
      continue;
    }
    const study =
      existing ??
      (await createStudy({ name: demo.name, description: demo.description, config: DEMO_CONFIG, poolIds: [pool.id], readerIds: readers.map((r) => r.id), createdById: coordinator?.id ?? null }));
    try {
      await openStudy(study.id, coordinator?.id ?? null);
      log(`Opened the demo study "${demo.name}" for reader1 and reader2.`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The checks are doing their job: the study stays a draft, and its page shows the report.
      log(`The demo study "${demo.name}" stays a draft: ${error.message.split('\n').slice(0, 4).join(' ')}`);
    }
  }
}
