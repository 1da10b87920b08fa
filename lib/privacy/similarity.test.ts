import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '@/tests/support/shared-data';
import reference from './fixtures/reference.json';
import {
  assessMatches,
  createDotKernel,
  describeTrainingSetFile,
  listTrainingSets,
  loadTrainingSet,
  NearestRealIndex,
  pearson,
  quantise,
  resampleArea,
  SCREEN_ERROR,
  ssim,
  trainingImage,
  zScore,
  type TrainingSet,
} from './index';

// Reference values: lib/privacy/fixtures/make_reference.py (numpy corrcoef, scikit-image structural_similarity).
const trainDir = path.join(sharedDataDir(), 'train');
const sets = new Map<string, TrainingSet>();
function set(name: string): TrainingSet {
  if (!sets.has(name)) {
    const info = listTrainingSets(trainDir).sets.find((s) => s.name === name);
    if (!info) throw new Error(`training set ${name} not found in ${trainDir}`);
    sets.set(name, loadTrainingSet(trainDir, info));
  }
  return sets.get(name)!;
}
const image = (ref: { set: string; index: number }) => trainingImage(set(ref.set), ref.index);

/** Deterministic noise (xorshift), symmetric around 0 with amplitude `amplitude`. */
function noise(seed: number, amplitude: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (((s >>> 0) / 4294967296) * 2 - 1) * amplitude;
  };
}

describe('Pearson and SSIM against numpy and scikit-image', () => {
  it.each(reference.pairs.map((p) => [`${p.a.set}[${p.a.index}] vs ${p.b.set}[${p.b.index}]`, p] as const))('%s', (_label, p) => {
    const a = image(p.a);
    const b = image(p.b);
    expect(pearson(a, b)).toBeCloseTo(p.pearson, 12);
    expect(ssim(a, b, 64, 64)).toBeCloseTo(p.ssim, 9);
  });

  it('z-scored dot product / n is Pearson r', () => {
    const a = zScore(image({ set: 'mednist-cxr-64', index: 5 }));
    const b = zScore(image({ set: 'mednist-cxr-64', index: 500 }));
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
    expect(dot / a.length).toBeCloseTo(reference.pairs[2].pearson, 5);
  });

  it('a constant image correlates with nothing and is not a NaN', () => {
    expect(pearson(new Uint8Array(4096).fill(7), image({ set: 'mednist-cxr-64', index: 1 }))).toBe(0);
    expect([...zScore(new Uint8Array(16).fill(3))]).toEqual(new Array(16).fill(0));
  });
});

describe('area resampling', () => {
  it('averages 4×4 blocks when going from 64 to 16 (numpy reference)', () => {
    const out = resampleArea(image(reference.resample), 64, 64, 16);
    out.forEach((v, i) => expect(v).toBeCloseTo(reference.resample.values[i], 4));
  });

  it('weights partial overlaps when the factor is not whole, and keeps the mean', () => {
    // 3 → 2: output 0 covers input 0 and half of input 1.
    expect([...resampleArea([0, 30, 60, 0, 30, 60, 0, 30, 60], 3, 3, 2)].map((v) => Math.round(v * 1000) / 1000)).toEqual([10, 50, 10, 50]);
    const pixels = image({ set: 'mednist-headct-64', index: 9 });
    const up = resampleArea(pixels, 64, 64, 100);
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(up)).toBeCloseTo(mean(pixels), 3);
  });
});

describe('the dot kernel', () => {
  it('WebAssembly SIMD and JavaScript compute the same integers', () => {
    const rows = 300;
    const dim = 4096;
    const wasm = createDotKernel(rows, dim);
    const js = createDotKernel(rows, dim, 'js');
    expect(wasm.kind).toBe('wasm-simd');
    const rand = noise(3, 4);
    const z = new Float32Array(dim);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < dim; i++) z[i] = rand();
      quantise(z, wasm.matrix.subarray(r * dim, (r + 1) * dim));
      quantise(z, js.matrix.subarray(r * dim, (r + 1) * dim));
    }
    for (let i = 0; i < dim; i++) z[i] = rand();
    quantise(z, wasm.query);
    quantise(z, js.query);
    wasm.run();
    js.run();
    expect([...wasm.out]).toEqual([...js.out]);
    // spot check one row against a plain loop
    let expected = 0;
    for (let i = 0; i < dim; i++) expected += wasm.matrix[7 * dim + i] * wasm.query[i];
    expect(wasm.out[7]).toBe(expected);
  });

  it('refuses dimensions that are not a multiple of 32', () => {
    expect(() => createDotKernel(1, 100)).toThrow(/multiple of 32/);
  });
});

describe('the nearest-real index', () => {
  const cxr = () => set('mednist-cxr-64');

  it('finds the same nearest neighbours, with the same exact r, as a brute-force numpy search', () => {
    for (const expected of reference.neighbours) {
      const training = set(expected.set);
      const index = new NearestRealIndex(training.count - 1);
      for (let i = 0; i < training.count; i++) if (i !== expected.index) index.add({ kind: 'training', set: training.name, index: i }, trainingImage(training, i));
      const found = index.search(trainingImage(training, expected.index), 5);
      expect(found.map((m) => (m.ref.kind === 'training' ? m.ref.index : -1))).toEqual(expected.nearest.map((n) => n.index));
      found.forEach((m, i) => expect(m.pearson).toBeCloseTo(expected.nearest[i].pearson, 9));
    }
  });

  it(`screens with an error below ${SCREEN_ERROR} in r`, () => {
    const index = new NearestRealIndex(2000);
    for (let i = 0; i < 2000; i++) index.add({ kind: 'training', set: 'cxr', index: i }, trainingImage(cxr(), i));
    const query = trainingImage(cxr(), 4321);
    index.search(query, 1);
    let worst = 0;
    for (let i = 0; i < 2000; i++) worst = Math.max(worst, Math.abs(index.screenedCorrelation(i) - pearson(query, trainingImage(cxr(), i))));
    expect(worst).toBeLessThan(SCREEN_ERROR);
  });

  it('flags a real image with noise as a near-copy of it, and a different image not', () => {
    const index = new NearestRealIndex(3000);
    for (let i = 0; i < 3000; i++) index.add({ kind: 'training', set: 'mednist-cxr-64', index: i }, trainingImage(cxr(), i));
    const source = trainingImage(cxr(), 1234);
    const rand = noise(99, 12);
    const copy = Float32Array.from(source, (v) => Math.min(255, Math.max(0, v + rand())));
    const thresholds = { pearson: 0.97, ssim: 0.9 };
    const matches = index.search(copy, 5);
    expect(matches[0].ref).toEqual({ kind: 'training', set: 'mednist-cxr-64', index: 1234 });
    expect(matches[0].pearson).toBeGreaterThan(0.98);
    expect(assessMatches(matches, thresholds)).toMatchObject({ isNearCopy: true });

    // An image of the set that the index does not hold: a genuinely different patient.
    const other = index.search(trainingImage(cxr(), 7777), 5);
    const verdict = assessMatches(other, thresholds);
    expect(verdict.isNearCopy).toBe(false);
    expect(verdict.nearestRealSimilarity).toBeLessThan(0.97);
  });
});

describe('the memorisation rule', () => {
  const match = (pearsonR: number, ssimValue: number) => ({ ref: { kind: 'pool' as const, imageId: 'x' }, pearson: pearsonR, ssim: ssimValue });
  const thresholds = { pearson: 0.97, ssim: 0.9 };

  it('quarantines at the Pearson threshold or the SSIM threshold, and reports the maximum r', () => {
    expect(assessMatches([match(0.971, 0.5), match(0.9, 0.4)], thresholds)).toMatchObject({ isNearCopy: true, nearestRealSimilarity: 0.971 });
    expect(assessMatches([match(0.95, 0.91)], thresholds)).toMatchObject({ isNearCopy: true, reason: expect.stringMatching(/SSIM/) });
    expect(assessMatches([match(0.96, 0.89)], thresholds)).toMatchObject({ isNearCopy: false, nearestRealSimilarity: 0.96, reason: null });
    expect(assessMatches([], thresholds)).toEqual({ nearestRealSimilarity: null, isNearCopy: false, reason: null });
  });
});

describe('training set registration', () => {
  it('reads modality and side from the file name', () => {
    expect(describeTrainingSetFile('mednist-cxr-64.u8.gz')).toEqual({ name: 'mednist-cxr-64', file: 'mednist-cxr-64.u8.gz', modality: 'CXR', side: 64 });
    expect(describeTrainingSetFile('mednist-headct-64.u8.gz')).toMatchObject({ modality: 'CT_HEAD', side: 64 });
    expect(describeTrainingSetFile('site-b-ct_head-128.u8.gz')).toMatchObject({ modality: 'CT_HEAD', side: 128 });
    expect(describeTrainingSetFile('brains.u8.gz')).toMatchObject({ skipped: expect.stringMatching(/neither/) });
    expect(describeTrainingSetFile('notes.txt.gz')).toMatchObject({ skipped: expect.any(String) });
  });

  it('loads the shared sets as whole 64×64 images', () => {
    expect(cxrCount()).toBe(10_000);
    expect(set('mednist-headct-64').count).toBe(8617);
  });
});

function cxrCount() {
  return set('mednist-cxr-64').count;
}
