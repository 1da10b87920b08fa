import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { NotFoundError } from '@/lib/errors';

/** The stored bytes of an image of a study (coordinator and admin views only; the route checks the role). */
export async function studyImageBytes(studyId: string, imageId: string): Promise<Uint8Array> {
  const link = await getPrisma().studyImage.findUnique({ where: { studyId_imageId: { studyId, imageId } }, select: { image: { select: { storageKey: true } } } });
  if (!link) throw new NotFoundError('This image is not part of the study.');
  const bytes = await new PgImageStore().get(link.image.storageKey);
  if (!bytes) throw new NotFoundError('The image bytes are missing.');
  return bytes;
}
