import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../tests/support/shared-data';
import { seededRandom } from './cnn';
import { classifierTwoSampleTest, stratifiedFolds } from './two-sample';

/**
 * Constructed pools where the answer is known, from real head CT slices (MedNIST, 64×64): the real
 * side is 150 slices, the synthetic side the same slices altered. Each slice and its altered copy
 * are one group, kept in one fold, so the network can only learn the alteration (with a copy on the
 * other side of a fold it would recognise the slice, and under the null the AUC would fall below 0.5).
 */
const SIDE = 64;
const PER_CLASS = 150;
const raw = new Uint8Array(gunzipSync(fs.readFileSync(sharedPath('train/mednist-headct-64.u8.gz'))));
const slice = (i: number) => raw.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);

function pools(alter: (px: Uint8Array, random: () => number) => Uint8Array) {
  const random = seededRandom(42);
  const images: Float32Array[] = [];
  const labels: (0 | 1)[] = [];
  const groups: string[] = [];
  for (let i = 0; i < PER_CLASS; i++) {
    images.push(Float32Array.from(slice(i), (v) => v / 255));
    images.push(Float32Array.from(alter(Uint8Array.from(slice(i)), random), (v) => v / 255));
    labels.push(0, 1);
    groups.push(`slice ${i}`, `slice ${i}`);
  }
  return { images, labels, groups };
}

describe('stratifiedFolds', () => {
  it('puts each class evenly into every fold, the same way for the same seed', () => {
    const labels = Array.from({ length: 23 }, (_, i) => (i % 3 === 0 ? 1 : 0) as 0 | 1);
    const folds = stratifiedFolds(labels, 5, 7);
    for (let k = 0; k < 5; k++) {
      const positives = labels.filter((l, i) => l === 1 && folds[i] === k).length;
      expect(positives === 1 || positives === 2).toBe(true);
    }
    expect(stratifiedFolds(labels, 5, 7)).toEqual(folds);
    const groups = labels.map((_, i) => `g${Math.floor(i / 4)}`);
    const grouped = stratifiedFolds(labels, 3, 7, groups);
    groups.forEach((g, i) => groups.forEach((h, j) => g === h && expect(grouped[i]).toBe(grouped[j])));
    expect(new Set(grouped).size).toBe(3);
  });
});

describe('classifier two-sample test (small CNN, 5-fold cross-validated AUC)', () => {
  it('cannot tell real slices from the same slices with tiny noise (±1 grey level on 1 % of pixels): the CI covers 0.5', async () => {
    const { images, labels, groups } = pools((px, random) => {
      for (let p = 0; p < px.length; p++) if (px[p] > 0 && px[p] < 255 && random() < 0.01) px[p] += random() < 0.5 ? -1 : 1;
      return px;
    });
    const result = await classifierTwoSampleTest(images, labels, SIDE, { folds: 5, seed: 3, groups });
    expect(result.resolution).toBe(SIDE);
    expect(result.counts).toEqual({ real: PER_CLASS, synthetic: PER_CLASS });
    expect(result.ci.lower).toBeLessThan(0.5);
    expect(result.ci.upper).toBeGreaterThan(0.5);
  }, 300_000);

  it('tells them apart when the synthetic slices carry a faint fixed pattern (pixel checkerboard of ±2 grey levels): AUC near 1', async () => {
    const { images, labels, groups } = pools((px) => {
      for (let p = 0; p < px.length; p++) {
        const sign = ((p % SIDE) + Math.floor(p / SIDE)) % 2 ? 2 : -2;
        px[p] = Math.min(255, Math.max(0, px[p] + sign));
      }
      return px;
    });
    const result = await classifierTwoSampleTest(images, labels, SIDE, { folds: 5, seed: 3, groups });
    expect(result.auc).toBeGreaterThan(0.95);
    expect(result.ci.lower).toBeGreaterThan(0.9);
  }, 300_000);
});
