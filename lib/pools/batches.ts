import { getPrisma } from '@/lib/db/client';
import { jobView, type JobView } from '@/lib/jobs';

/** The admin's list of batches, newest first, each with its pool and its latest job (the memorisation check). */
export type BatchRow = {
  id: string;
  kind: string;
  origin: string;
  modality: string;
  poolKey: string;
  source: string | null;
  imported: number;
  duplicates: number;
  quarantined: number;
  createdAt: string;
  createdBy: string | null;
  job: JobView | null;
};

export async function recentBatches(limit = 20): Promise<BatchRow[]> {
  const prisma = getPrisma();
  const batches = await prisma.batch.findMany({
    orderBy: { createdAt: 'desc' },
    take: limit,
    include: {
      pool: { select: { key: true } },
      createdBy: { select: { email: true } },
      // The batch's own work (its memorisation check); the FRD job it queues is about pools and checkpoints.
      jobs: { where: { kind: { not: 'radiomics-distance' } }, orderBy: { createdAt: 'desc' }, take: 1 },
      _count: { select: { images: { where: { isQuarantined: true, isRetired: false } } } },
    },
  });
  return batches.map((b) => ({
    id: b.id,
    kind: b.kind,
    origin: b.origin,
    modality: b.modality,
    poolKey: b.pool.key,
    source: b.source,
    imported: b.imported,
    duplicates: b.duplicates,
    quarantined: b._count.images,
    createdAt: b.createdAt.toISOString(),
    createdBy: b.createdBy?.email ?? null,
    job: b.jobs[0] ? jobView(b.jobs[0]) : null,
  }));
}
