import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Modality } from '@/lib/images';

/**
 * Registered training sets: the real images a generator was trained on, which its synthetic images must
 * not copy. A set is a file `<name>.u8.gz` in TRAINING_SETS_DIR holding gzip of raw uint8 [N, S, S]
 * (row-major). Its modality and side come from the name: `cxr` or `headct` / `ct-head` in it, and a
 * trailing `-<S>` (default 64), e.g. `mednist-cxr-64.u8.gz`. Files that say neither are left out, with a
 * reason (listTrainingSets reports them).
 */
export type TrainingSetInfo = { name: string; file: string; modality: Modality; side: number };
export type TrainingSet = TrainingSetInfo & { count: number; pixels: Uint8Array };

const SET_FILE = /^([A-Za-z0-9._-]+)\.u8\.gz$/;

export function describeTrainingSetFile(fileName: string): TrainingSetInfo | { name: string; skipped: string } {
  const match = SET_FILE.exec(fileName);
  if (!match) return { name: fileName, skipped: 'not a <name>.u8.gz file' };
  const name = match[1];
  const lower = name.toLowerCase();
  const modality: Modality | null = /(^|[-_.])cxr([-_.]|$)/.test(lower) ? 'CXR' : /(head-?ct|ct[-_]?head)/.test(lower) ? 'CT_HEAD' : null;
  if (!modality) return { name, skipped: 'the name says neither cxr nor headct' };
  const side = Number(/-(\d{2,4})$/.exec(lower)?.[1] ?? 64);
  return { name, file: fileName, modality, side };
}

export function listTrainingSets(dir: string | null): { sets: TrainingSetInfo[]; skipped: Array<{ name: string; skipped: string }> } {
  const sets: TrainingSetInfo[] = [];
  const skipped: Array<{ name: string; skipped: string }> = [];
  if (!dir || !fs.existsSync(dir)) return { sets, skipped };
  for (const fileName of fs.readdirSync(dir).sort()) {
    if (!fileName.endsWith('.gz')) continue;
    const info = describeTrainingSetFile(fileName);
    if ('skipped' in info) skipped.push(info);
    else sets.push(info);
  }
  return { sets, skipped };
}

export function loadTrainingSet(dir: string, info: TrainingSetInfo): TrainingSet {
  const pixels = new Uint8Array(gunzipSync(fs.readFileSync(path.join(dir, info.file))));
  const perImage = info.side * info.side;
  if (pixels.length % perImage !== 0) {
    throw new Error(`training set ${info.name}: ${pixels.length} bytes is not a whole number of ${info.side}×${info.side} images`);
  }
  return { ...info, count: pixels.length / perImage, pixels };
}

/** Image `index` of a set (a view, no copy). */
export function trainingImage(set: TrainingSet, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) throw new RangeError(`training set ${set.name} has no image ${index}`);
  const perImage = set.side * set.side;
  return set.pixels.subarray(index * perImage, (index + 1) * perImage);
}

/** The admin page shows training-set matches; keep the last set read, so a page of thumbnails reads it once. */
let lastLoaded: TrainingSet | null = null;
export function cachedTrainingSet(dir: string, name: string): TrainingSet | null {
  if (lastLoaded?.name === name) return lastLoaded;
  const info = listTrainingSets(dir).sets.find((s) => s.name === name);
  if (!info) return null;
  lastLoaded = loadTrainingSet(dir, info);
  return lastLoaded;
}

/**
 * The held-out split, one rule shared with the demo generators' training (scripts/gan): a generator trained on
 * a set uses all but its last HELD_OUT_IMAGES images; images N−HELD_OUT_IMAGES … N−1 are never trained on, so
 * they are the real class of the demo studies (lib/seed/demo-held-out.ts).
 */
export const HELD_OUT_IMAGES = 1000;

/** `count` indices spread evenly over a set's held-out range (the whole range when count ≥ HELD_OUT_IMAGES). */
export function heldOutIndices(setCount: number, count: number): number[] {
  if (setCount <= HELD_OUT_IMAGES) throw new RangeError(`a set of ${setCount} images has no training split beside ${HELD_OUT_IMAGES} held-out images`);
  const take = Math.min(count, HELD_OUT_IMAGES);
  const start = setCount - HELD_OUT_IMAGES;
  return Array.from({ length: take }, (_, k) => start + Math.floor((k * HELD_OUT_IMAGES) / take));
}
