import { z } from 'zod';
import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import type { Prisma } from '@/lib/generated/prisma/client';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { AWAITING_CHECK } from './eligibility';

/**
 * What admins do to the images of a pool: browse them (with the batch each came from), retire and restore
 * them, delete the ones no study ever used, and decide on quarantined synthetic images (release or retire).
 * Every change is audited. Retiring is the way out once a study used an image: a study's frozen image set
 * (StudyImage) and readers' sequences (AssignmentItem) must keep pointing at it.
 */
export const IMAGE_FILTERS = ['all', 'real', 'synthetic', 'quarantined', 'retired', 'unchecked'] as const;
export type ImageFilter = (typeof IMAGE_FILTERS)[number];
export const PAGE_SIZE = 48;

function filterWhere(filter: ImageFilter): Prisma.ImageWhereInput {
  switch (filter) {
    case 'real':
      return { origin: 'REAL', isRetired: false };
    case 'synthetic':
      return { origin: 'SYNTHETIC', isRetired: false };
    case 'quarantined':
      return { isQuarantined: true, isRetired: false };
    case 'retired':
      return { isRetired: true };
    case 'unchecked':
      return AWAITING_CHECK;
    default:
      return {};
  }
}

export async function poolImages(poolKey: string, options: { filter?: ImageFilter; batchId?: string; page?: number } = {}) {
  const prisma = getPrisma();
  const pool = await prisma.pool.findUnique({ where: { key: poolKey } });
  if (!pool) return null;
  const where: Prisma.ImageWhereInput = { poolId: pool.id, ...filterWhere(options.filter ?? 'all'), ...(options.batchId && { batchId: options.batchId }) };
  const page = Math.max(1, options.page ?? 1);
  const [total, images, batches] = await Promise.all([
    prisma.image.count({ where }),
    prisma.image.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      include: { batch: { select: { id: true, kind: true, source: true, createdAt: true } }, _count: { select: { studyImages: true, assignmentItems: true } } },
    }),
    prisma.batch.findMany({ where: { poolId: pool.id }, orderBy: { createdAt: 'desc' }, select: { id: true, kind: true, origin: true, source: true, imported: true, duplicates: true, createdAt: true } }),
  ]);
  return { pool, images, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), batches };
}

export const imageActionSchema = z.object({ action: z.enum(['retire', 'restore', 'release']) });
export type ImageAction = z.infer<typeof imageActionSchema>['action'];

const auditFields = { id: true, isRetired: true, isQuarantined: true, releasedAt: true, origin: true, batchId: true, sha256: true } as const;

export async function changeImage(actorId: string, imageId: string, action: ImageAction) {
  const prisma = getPrisma();
  return prisma.$transaction(async (tx) => {
    const image = await tx.image.findUnique({ where: { id: imageId }, select: auditFields });
    if (!image) throw new NotFoundError('No such image.');
    let data: Prisma.ImageUpdateInput;
    if (action === 'retire') {
      if (image.isRetired) throw new ConflictError('The image is already retired.');
      data = { isRetired: true };
    } else if (action === 'restore') {
      if (!image.isRetired) throw new ConflictError('The image is not retired.');
      data = { isRetired: false };
    } else {
      if (!image.isQuarantined) throw new ConflictError('The image is not quarantined.');
      data = { isQuarantined: false, releasedAt: new Date() };
    }
    const after = await tx.image.update({ where: { id: imageId }, data, select: auditFields });
    await audit({ actorId, action: `image.${action}`, targetType: 'Image', targetId: imageId, before: snapshot(image), after: snapshot(after) }, tx);
    return after;
  });
}

/** Deletes an image that no study has used (its blob too, when no other image shares it); else 409. */
export async function deleteImage(actorId: string, imageId: string): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const image = await tx.image.findUnique({
      where: { id: imageId },
      select: { ...auditFields, storageKey: true, _count: { select: { studyImages: true, assignmentItems: true } } },
    });
    if (!image) throw new NotFoundError('No such image.');
    if (image._count.studyImages || image._count.assignmentItems) {
      throw new ConflictError('A study has used this image, so it is kept for that study’s record: retire it instead.');
    }
    await tx.image.delete({ where: { id: imageId } });
    if ((await tx.image.count({ where: { storageKey: image.storageKey } })) === 0) await new PgImageStore(tx).delete(image.storageKey);
    await tx.batch.update({ where: { id: image.batchId }, data: { imported: { decrement: 1 } } });
    await audit({ actorId, action: 'image.delete', targetType: 'Image', targetId: imageId, before: snapshot(image) }, tx);
  });
}

/** Quarantined synthetic images (not yet decided), each with its nearest real images. */
export async function quarantineQueue(limit = 50) {
  return getPrisma().image.findMany({
    where: { isQuarantined: true, isRetired: false },
    orderBy: [{ nearestRealSimilarity: 'desc' }, { id: 'asc' }],
    take: limit,
    include: {
      pool: { select: { key: true } },
      batch: { select: { id: true, source: true } },
      nearestMatches: { orderBy: { rank: 'asc' }, include: { realImage: { select: { id: true, sourceName: true, pool: { select: { key: true } } } } } },
    },
  });
}

export const addLabelsSchema = z.object({
  labels: z.array(z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N} _.()/-]{0,63}$/u, 'Labels are plain words (letters, digits, space, _ . ( ) / -), at most 64 characters.')).min(1).max(50),
});

export async function addPoolLabels(actorId: string, poolKey: string, labels: string[]) {
  const prisma = getPrisma();
  const pool = await prisma.pool.findUnique({ where: { key: poolKey } });
  if (!pool) throw new NotFoundError('No such pool.');
  const vocabulary = [...new Set([...pool.labelVocabulary, ...labels])].sort();
  const updated = await prisma.pool.update({ where: { id: pool.id }, data: { labelVocabulary: vocabulary } });
  await audit({ actorId, action: 'pool.labels', targetType: 'Pool', targetId: pool.id, before: { labels: pool.labelVocabulary }, after: { labels: vocabulary } });
  return updated;
}

function snapshot(image: { isRetired: boolean; isQuarantined: boolean; releasedAt: Date | null; origin: string; batchId: string; sha256: string }) {
  return { isRetired: image.isRetired, isQuarantined: image.isQuarantined, releasedAt: image.releasedAt?.toISOString() ?? null, origin: image.origin, batchId: image.batchId, sha256: image.sha256 };
}
