import path from 'node:path';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { importFolder } from '@/lib/pools/folder';
import { seedCheckedSynthetic } from './synthetic';
import { createStudy, openStudy } from '@/lib/studies/store';
import type { StudyConfigInput } from '@/lib/studies';
import { sharedDataDir } from './shared-data';

/** The demo head-CT pool (real images plus checked synthetic ones from the demo generator), once per database. */
export async function headCtPool(): Promise<string> {
  const prisma = getPrisma();
  const existing = await prisma.pool.findUnique({ where: { key: 'CT_HEAD-64' } });
  if (existing && (await prisma.image.count({ where: { poolId: existing.id, origin: 'SYNTHETIC' } })) > 0) return existing.id;
  await importFolder({ dir: path.join(sharedDataDir(), 'demo', 'headct-mednist-64'), modality: 'CT_HEAD', origin: 'REAL', source: 'test' }).catch(() => undefined);
  await seedCheckedSynthetic('CT_HEAD-64', 40);
  return (await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } })).id;
}

/** An open study on the demo head-CT pool with `readers` new readers; returns them with their assignments. */
export async function openHeadCtStudy(label: string, readers: number, config: StudyConfigInput = { imagesPerReader: 8, maxRunLength: 3 }, createdById: string | null = null) {
  const prisma = getPrisma();
  const poolId = await headCtPool();
  const passwordHash = await hashPassword('not-used-here');
  const users = await Promise.all(
    Array.from({ length: readers }, (_, i) => prisma.user.create({ data: { email: `${label}-${i}-${Date.now()}@test.local`, name: `${label} ${i}`, role: 'READER', passwordHash } })),
  );
  const study = await createStudy({ name: `${label} ${Date.now()}`, config, poolIds: [poolId], readerIds: users.map((u) => u.id), createdById });
  await openStudy(study.id, createdById);
  const assignments = await prisma.assignment.findMany({ where: { studyId: study.id }, include: { items: { orderBy: { position: 'asc' } } } });
  return {
    studyId: study.id,
    readers: users.map((u) => {
      const a = assignments.find((x) => x.readerId === u.id)!;
      return { id: u.id, assignmentId: a.id, items: a.items };
    }),
  };
}
