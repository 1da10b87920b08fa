import { ConflictError } from '@/lib/errors';
import { getPrisma } from '@/lib/db/client';
import { poolKeyFor } from '@/lib/pools/import';

/**
 * The pool a checkpoint's images go into (its modality at its resolution, 8-bit) and whether it has real
 * images: synthetic images in a pool without real ones cannot enter any study (a study mixes both), so a job
 * into such a pool is held back until the admin either adds real images or says to go ahead.
 */
export type TargetPool = { poolKey: string; exists: boolean; realImages: number; syntheticImages: number; warning: string | null };

export async function targetPool(checkpoint: { modality: string; resolution: number }): Promise<TargetPool> {
  const side = checkpoint.resolution;
  const modality = checkpoint.modality as 'CXR' | 'CT_HEAD';
  const poolKey = poolKeyFor({ modality, width: side, height: side, bitDepth: 8 });
  const pool = await getPrisma().pool.findUnique({ where: { key: poolKey }, select: { id: true } });
  const count = (origin: 'REAL' | 'SYNTHETIC') => (pool ? getPrisma().image.count({ where: { poolId: pool.id, origin } }) : Promise.resolve(0));
  const [realImages, syntheticImages] = await Promise.all([count('REAL'), count('SYNTHETIC')]);
  const warning = realImages
    ? null
    : `Pool ${poolKey} has no real images${pool ? '' : ' (it does not exist yet; the job would create it)'}, so no study can use the images this job makes. ` +
      `Add real ${modality} images of ${side}×${side} first: upload a zip of PNG/DICOM files with origin "real" on the Pools page (/admin), ` +
      `or run \`npm run import -- --dir <folder> --modality ${modality} --origin real\` (images of another size are refused, not resized).`;
  return { poolKey, exists: !!pool, realImages, syntheticImages, warning };
}

/** Refuses (409) a job into a pool without real images unless the request says to go ahead anyway. */
export async function checkTargetPool(checkpoint: { modality: string; resolution: number }, allowWithoutRealImages: boolean): Promise<TargetPool> {
  const target = await targetPool(checkpoint);
  if (target.warning && !allowWithoutRealImages) {
    throw new ConflictError(`${target.warning} To generate anyway, send "allowPoolWithoutRealImages": true.`, { code: 'POOL_WITHOUT_REAL_IMAGES', pool: target });
  }
  return target;
}
