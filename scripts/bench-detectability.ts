/**
 * Benchmark of "Can a machine tell?" (lib/detectability): the classifier two-sample test — the small CNN,
 * 5-fold cross-validated, default epochs — on 2,000 head CT slices of 64×64 (1,000 real from the shared
 * MedNIST training set, 1,000 others with ±1 grey level of noise on 1 % of pixels), on the wasm backend.
 * Target: the whole job < 10 minutes on the project's 2-core machines.
 *
 *   npx tsx scripts/bench-detectability.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { classifierTwoSampleTest, seededRandom } from '@/lib/detectability';
import { sharedDataDir } from '@/tests/support/shared-data';
import type { BenchFigure } from './bench-privacy';

const SIDE = 64;
const PER_CLASS = 1000;

export async function benchDetectability(): Promise<BenchFigure[]> {
  const raw = new Uint8Array(gunzipSync(fs.readFileSync(path.join(sharedDataDir(), 'train', 'mednist-headct-64.u8.gz'))));
  const random = seededRandom(5);
  const images: Float32Array[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < 2 * PER_CLASS; i++) {
    const px = raw.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
    const isSynthetic = i >= PER_CLASS;
    images.push(Float32Array.from(px, (v) => (isSynthetic && v > 0 && v < 255 && random() < 0.01 ? v + (random() < 0.5 ? -1 : 1) : v) / 255));
    labels.push(isSynthetic ? 1 : 0);
  }
  const started = performance.now();
  const result = await classifierTwoSampleTest(images, labels, SIDE, { backend: 'wasm' });
  const seconds = (performance.now() - started) / 1000;
  console.log(`AUC ${result.auc.toFixed(3)} [${result.ci.lower.toFixed(3)}, ${result.ci.upper.toFixed(3)}], ${result.folds} folds, ${result.epochs} epochs`);
  return [{ name: `classifier two-sample test, ${2 * PER_CLASS} images of ${SIDE}×${SIDE}, ${result.folds}-fold CNN (wasm)`, unit: 's', runs: [seconds], target: 600 }];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchDetectability().then((figures) => figures.forEach((f) => console.log(`${f.name}: ${f.runs[0].toFixed(1)} ${f.unit}`)));
}
