import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../tests/support/shared-data';
import { seededRandom } from './cnn';
import { splitTrainTest, trainSyntheticTestReal, type LabelledImages } from './utility';

/**
 * Constructed cases from real head CT slices (MedNIST, 64×64): the label "Lesion" is a 12×12 patch
 * of coarse texture (±40 grey levels, at a random place) painted into half of the slices, so a
 * network trained on correctly labelled images learns it.
 */
const SIDE = 64;
const N = 150;
const raw = new Uint8Array(gunzipSync(fs.readFileSync(sharedPath('train/mednist-headct-64.u8.gz'))));

function labelled(first: number, seed: number, shuffleLabels = false): LabelledImages {
  const random = seededRandom(seed);
  const images: Float32Array[] = [];
  const hasLesion: boolean[] = [];
  for (let i = 0; i < N; i++) {
    const px = Float32Array.from(raw.subarray((first + i) * SIDE * SIDE, (first + i + 1) * SIDE * SIDE));
    const lesion = random() < 0.5;
    if (lesion) {
      const x0 = 12 + Math.floor(random() * 28);
      const y0 = 12 + Math.floor(random() * 28);
      for (let y = y0; y < y0 + 12; y++) for (let x = x0; x < x0 + 12; x++) px[y * SIDE + x] = Math.min(255, Math.max(0, px[y * SIDE + x] + ((x + y) % 2 ? 40 : -40)));
    }
    images.push(px.map((v) => v / 255));
    hasLesion.push(lesion);
  }
  const flags = shuffleLabels ? hasLesion.map(() => random() < 0.5) : hasLesion;
  return { images, labels: flags.map((f) => (f ? ['Lesion'] : [])) };
}

describe('splitTrainTest', () => {
  it('keeps every group on one side and holds out about the asked share', () => {
    const groups = Array.from({ length: 100 }, (_, i) => `p${i % 17}`);
    const { train, test } = splitTrainTest(groups, 0.5, 3);
    expect(train.length + test.length).toBe(100);
    expect(test.length).toBeGreaterThanOrEqual(50);
    expect(test.length).toBeLessThan(70);
    const testGroups = new Set(test.map((i) => groups[i]));
    expect(train.some((i) => testGroups.has(groups[i]))).toBe(false);
  });
});

describe('train on synthetic, test on real', () => {
  const realTrain = labelled(0, 1);
  const realTest = labelled(N, 2);

  it('"synthetic" = the real training images: the same AUC, the paired difference CI covers 0', async () => {
    const result = await trainSyntheticTestReal(realTrain, realTrain, realTest, ['Lesion'], SIDE, { seed: 4 });
    const [lesion] = result.labels;
    expect(result.resolution).toBe(SIDE);
    expect(lesion.realAuc).toBeGreaterThan(0.9);
    expect(lesion.syntheticAuc).toBeCloseTo(lesion.realAuc, 10);
    expect(lesion.difference.ci[0]).toBeLessThanOrEqual(0);
    expect(lesion.difference.ci[1]).toBeGreaterThanOrEqual(0);
    expect(lesion.counts).toMatchObject({ train: N, test: N });
  }, 300_000);

  it('synthetic images with shuffled labels teach nothing: synthetic-trained AUC ≈ 0.5, clearly below real-trained', async () => {
    const shuffled = labelled(2 * N, 3, true);
    const result = await trainSyntheticTestReal(shuffled, realTrain, realTest, ['Lesion', 'Absent'], SIDE, { seed: 4 });
    const [lesion] = result.labels;
    expect(Math.abs(lesion.syntheticAuc - 0.5)).toBeLessThan(0.15);
    expect(lesion.realAuc).toBeGreaterThan(0.9);
    expect(lesion.difference.ci[1]).toBeLessThan(0);
    expect(result.skipped).toEqual([{ label: 'Absent', reason: expect.stringMatching(/fewer than 2 images with and 2 without/) }]);
  }, 300_000);
});
