import { getPrisma } from '@/lib/db/client';
import { AWAITING_CHECK } from './eligibility';

export type PoolSummary = {
  id: string;
  key: string;
  modality: string;
  width: number;
  height: number;
  bitDepth: number;
  real: number;
  synthetic: number;
  quarantined: number;
  retired: number;
  /** Synthetic images the memorisation check has not finished with (not yet eligible for a study). */
  unchecked: number;
  labels: string[];
  /** A few image ids for thumbnails (admins only). */
  samples: string[];
};

/** Counts per pool and origin (admin view). Retired and quarantined images are counted apart. */
export async function poolSummaries(): Promise<PoolSummary[]> {
  const prisma = getPrisma();
  const [pools, counts, unchecked] = await Promise.all([
    prisma.pool.findMany({
      orderBy: [{ modality: 'asc' }, { width: 'asc' }],
      include: { images: { where: { isRetired: false }, select: { id: true }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: 4 } },
    }),
    prisma.image.groupBy({ by: ['poolId', 'origin', 'isQuarantined', 'isRetired'], _count: { _all: true } }),
    prisma.image.groupBy({ by: ['poolId'], where: AWAITING_CHECK, _count: { _all: true } }),
  ]);
  return pools.map((pool) => {
    const mine = counts.filter((c) => c.poolId === pool.id);
    const sum = (pick: (c: (typeof mine)[number]) => boolean) =>
      mine.filter(pick).reduce((total, c) => total + c._count._all, 0);
    return {
      id: pool.id,
      key: pool.key,
      modality: pool.modality,
      width: pool.width,
      height: pool.height,
      bitDepth: pool.bitDepth,
      real: sum((c) => c.origin === 'REAL' && !c.isRetired),
      synthetic: sum((c) => c.origin === 'SYNTHETIC' && !c.isRetired),
      quarantined: sum((c) => c.isQuarantined && !c.isRetired),
      retired: sum((c) => c.isRetired),
      unchecked: unchecked.find((u) => u.poolId === pool.id)?._count._all ?? 0,
      labels: pool.labelVocabulary,
      samples: pool.images.map((i) => i.id),
    };
  });
}
