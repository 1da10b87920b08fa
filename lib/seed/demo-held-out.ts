import path from 'node:path';
import { getPrisma } from '@/lib/db/client';
import { encodeCanonical, type Modality } from '@/lib/images';
import { heldOutIndices, HELD_OUT_IMAGES, listTrainingSets, loadTrainingSet, trainingImage } from '@/lib/privacy';
import { importBatch } from '@/lib/pools/import';

/**
 * The real class of the demo studies: MedNIST images of the demo generators' own size and modality that the
 * generators never trained on — the held-out split of each training set (lib/privacy/training-sets.ts:
 * the last HELD_OUT_IMAGES images of each `*.u8.gz`). Read from the configured TRAINING_SETS_DIR (never
 * copied into the repository) and imported through the one image pipeline as a real batch, each image with
 * its provenance (set file, index, split, licence). Once: the batch's source records it.
 */
export const DEMO_HELD_OUT_SETS: Array<{ set: string; modality: Modality; licence: string }> = [
  { set: 'mednist-headct-64', modality: 'CT_HEAD', licence: 'MedNIST: CC BY-SA 4.0 (Dr. Bradley J. Erickson, Mayo Clinic)' },
  { set: 'mednist-cxr-64', modality: 'CXR', licence: 'MedNIST: CC BY-SA 4.0 (Dr. Bradley J. Erickson, Mayo Clinic)' },
];

/** Held-out images per demo pool: enough for the demo studies and the leak audit, few enough for a quick start. */
export const DEMO_HELD_OUT_PER_POOL = 200;

export function heldOutSource(set: string): string {
  return `demo:held-out:${set}`;
}

/** Imports the held-out images of each demo training set found in `trainingSetsDir`; returns the pool keys they are in. */
export async function seedHeldOutPools(trainingSetsDir: string | null, log: (line: string) => void, perPool = DEMO_HELD_OUT_PER_POOL): Promise<string[]> {
  const prisma = getPrisma();
  const { sets } = listTrainingSets(trainingSetsDir);
  const poolKeys: string[] = [];
  for (const demo of DEMO_HELD_OUT_SETS) {
    const info = sets.find((s) => s.name === demo.set && s.modality === demo.modality);
    if (!trainingSetsDir || !info) {
      log(`Training set ${demo.set}.u8.gz not found in ${trainingSetsDir ?? 'TRAINING_SETS_DIR (unset; default ../shared/data/train)'}; no held-out ${demo.modality} pool.`);
      continue;
    }
    const source = heldOutSource(demo.set);
    const done = await prisma.batch.findFirst({ where: { source, status: 'COMPLETE' }, include: { pool: { select: { key: true } } } });
    if (done) {
      poolKeys.push(done.pool.key);
      continue;
    }
    const set = loadTrainingSet(trainingSetsDir, info);
    const files = heldOutIndices(set.count, perPool).map((index) => ({
      name: `${set.name}-${String(index).padStart(5, '0')}.png`,
      bytes: encodeCanonical(trainingImage(set, index), set.side, set.side, 8),
      index,
    }));
    const result = await importBatch({
      files,
      modality: demo.modality,
      origin: 'REAL',
      kind: 'IMPORT',
      source,
      provenance: (file) => ({
        dataset: path.basename(info.file),
        index: (file as (typeof files)[number]).index,
        split: `held out: the last ${HELD_OUT_IMAGES} of ${set.count} images, never used to train the demo generators`,
        licence: demo.licence,
      }),
    });
    log(`Imported ${result.imported} held-out ${demo.modality} images (${info.file}, indices ${set.count - HELD_OUT_IMAGES}…${set.count - 1}) into pool ${result.poolKey}.`);
    poolKeys.push(result.poolKey);
  }
  return poolKeys;
}
