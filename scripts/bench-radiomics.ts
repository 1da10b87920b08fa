/**
 * Benchmark of the Fréchet Radiomics Distance job (lib/radiomics, lib/jobs/kinds/radiomics-distance.ts) on
 * 2,000 synthetic and 2,000 real 64×64 images, as the job does it: decode each canonical PNG, extract the
 * IBSI features (bin width 25 from 0), then FRD and k = 3 precision/recall. Real images: the first 2,000
 * MedNIST head-CT slices of the shared training set; "synthetic": the next 2,000. Target: the whole job
 * in < 10 minutes on the project's 2-core machines (issue 15).
 *
 *   npx tsx scripts/bench-radiomics.ts      prints the figures
 *
 * `benchRadiomics()` returns the figures so that `npm run bench` can import and print them.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { decode } from '@/lib/images';
import { DEFAULT_RADIOMICS_SETTINGS, extractFeatures, featureDescriptors, frechetRadiomicsDistance } from '@/lib/radiomics';
import { sharedDataDir } from '@/tests/support/shared-data';
import type { BenchFigure } from './bench-privacy';

const PER_SET = 2_000;
const SIDE = 64;

function pngs(): Uint8Array[] {
  const file = path.join(process.env.TRAINING_SETS_DIR ?? path.join(sharedDataDir(), 'train'), 'mednist-headct-64.u8.gz');
  const all = new Uint8Array(zlib.gunzipSync(fs.readFileSync(file)));
  if (all.length < 2 * PER_SET * SIDE * SIDE) throw new Error(`${file} holds fewer than ${2 * PER_SET} images`);
  return Array.from({ length: 2 * PER_SET }, (_, i) =>
    encodePng({ width: SIDE, height: SIDE, depth: 8, channels: 1, data: all.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE) }),
  );
}

export async function benchRadiomics(): Promise<BenchFigure[]> {
  const files = pngs();
  const perImage: number[] = [];
  const started = performance.now();
  const features = files.map((bytes) => {
    const t = performance.now();
    const image = decode(bytes);
    const vector = extractFeatures({ width: image.width, height: image.height, pixels: image.pixels }, DEFAULT_RADIOMICS_SETTINGS);
    perImage.push(performance.now() - t);
    return vector;
  });
  const extracted = performance.now();
  const result = frechetRadiomicsDistance(features.slice(0, PER_SET), features.slice(PER_SET), featureDescriptors());
  const finished = performance.now();
  console.log(`FRD ${result.frd.toPrecision(4)}, precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)} (${result.featureCount} features)`);
  // Per-image times in batches of 100, so that the spread shows without 4,000 entries.
  const batches = Array.from({ length: perImage.length / 100 }, (_, b) => perImage.slice(b * 100, (b + 1) * 100).reduce((s, x) => s + x, 0) / 100);
  return [
    { name: `whole job: ${PER_SET.toLocaleString('en')} synthetic + ${PER_SET.toLocaleString('en')} real 64×64 images (decode, ${result.featureCount} features, FRD, precision/recall)`, unit: 's', runs: [(finished - started) / 1000], target: 600 },
    { name: 'decode + features of one 64×64 image (means over batches of 100)', unit: 'ms', runs: batches, target: '—' },
    { name: `FRD and k = 3 precision/recall on ${PER_SET.toLocaleString('en')} + ${PER_SET.toLocaleString('en')} feature vectors`, unit: 's', runs: [(finished - extracted) / 1000], target: '—' },
  ];
}

if (/bench-radiomics\.ts$/.test(process.argv[1] ?? '')) {
  benchRadiomics()
    .then((figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.runs.map((x) => x.toFixed(2)).join(', ')} ${f.unit}`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
