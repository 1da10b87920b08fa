/**
 * Benchmark of the memorisation check (lib/privacy): one synthetic 64×64 image against 20,000 real 64×64
 * images — the 10,000 + 8,617 images of the shared MedNIST training sets, and the first 1,383 of them
 * again — as the job does it: quantised SIMD screen, exact re-rank, SSIM of the top 5. Target: < 50 ms per
 * image on the project's 2-core machines. Also: images compared per second, the one-off cost of building
 * the index, and the plain-JavaScript fallback.
 *
 *   npx tsx scripts/bench-privacy.ts        prints min / median / max
 *
 * `benchPrivacy()` returns the figures so that `npm run bench` can import and print them.
 */
import path from 'node:path';
import { listTrainingSets, loadTrainingSet, NearestRealIndex, trainingImage, type TrainingSet } from '@/lib/privacy';
import { sharedDataDir } from '@/tests/support/shared-data';

export interface BenchFigure {
  name: string;
  unit: string;
  runs: number[];
  /** A number: the figure should stay at or below it; a string: the target in words. */
  target: number | string;
}

const REALS = 20_000;
const QUERIES = 25;
const TOP = 5;

function sources(): TrainingSet[] {
  const dir = process.env.TRAINING_SETS_DIR ?? path.join(sharedDataDir(), 'train');
  const { sets } = listTrainingSets(dir);
  if (sets.length === 0) throw new Error(`no training sets in ${dir}`);
  return sets.map((s) => loadTrainingSet(dir, s));
}

function buildIndex(sets: TrainingSet[], prefer: 'wasm-simd' | 'js'): NearestRealIndex {
  const index = new NearestRealIndex(REALS, 64, prefer);
  const all = sets.flatMap((set) => Array.from({ length: set.count }, (_, i) => ({ set, i })));
  for (let k = 0; index.count < REALS; k++) {
    const { set, i } = all[k % all.length];
    index.add({ kind: 'training', set: set.name, index: i }, trainingImage(set, i));
  }
  return index;
}

/** Synthetic stand-ins: real images with a little noise (the worst case: a near-copy must be re-ranked). */
function queries(sets: TrainingSet[]): Float32Array[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) * 16 - 8;
  return Array.from({ length: QUERIES }, (_, q) => {
    const set = sets[q % sets.length];
    return Float32Array.from(trainingImage(set, (q * 397) % set.count), (v) => Math.min(255, Math.max(0, v + rand())));
  });
}

export async function benchPrivacy(): Promise<BenchFigure[]> {
  const sets = sources();
  const t0 = performance.now();
  const index = buildIndex(sets, 'wasm-simd');
  const buildMs = performance.now() - t0;
  if (index.kernelKind !== 'wasm-simd') throw new Error('WebAssembly SIMD is not available in this Node');
  const probes = queries(sets);
  index.search(probes[0], TOP); // warm-up
  const perImage: number[] = [];
  for (const probe of probes) {
    const t = performance.now();
    index.search(probe, TOP);
    perImage.push(performance.now() - t);
  }
  const perSecond = perImage.map((ms) => (REALS / ms) * 1000);

  const fallback = buildIndex(sets, 'js');
  const jsRuns: number[] = [];
  for (const probe of probes.slice(0, 3)) {
    const t = performance.now();
    fallback.search(probe, TOP);
    jsRuns.push(performance.now() - t);
  }
  return [
    { name: `one synthetic image vs ${REALS.toLocaleString('en')} real 64×64 images (screen, exact re-rank, SSIM of top ${TOP})`, unit: 'ms', runs: perImage, target: 50 },
    { name: 'real images compared per second (one job, WebAssembly SIMD)', unit: 'images/s', runs: perSecond, target: '≥ 400,000' },
    { name: `building the index once per job (z-score + quantise ${REALS.toLocaleString('en')} images)`, unit: 'ms', runs: [buildMs], target: 5000 },
    { name: 'same search, plain-JavaScript fallback (no WebAssembly SIMD)', unit: 'ms', runs: jsRuns, target: '—' },
  ];
}

function describe(f: BenchFigure): string {
  const sorted = [...f.runs].sort((a, b) => a - b);
  const fmt = (x: number) => (x >= 1000 ? Math.round(x).toLocaleString('en') : x.toFixed(1));
  const median = sorted[Math.floor(sorted.length / 2)];
  const spread = sorted.length > 1 ? `min ${fmt(sorted[0])} / median ${fmt(median)} / max ${fmt(sorted[sorted.length - 1])}` : fmt(sorted[0]);
  const verdict = typeof f.target === 'number' ? (median <= f.target ? ': ok' : ': OVER TARGET') : '';
  return `${f.name}: ${spread} ${f.unit} (target ${typeof f.target === 'number' ? `≤ ${f.target} ${f.unit}` : f.target}${verdict})`;
}

async function main() {
  for (const f of await benchPrivacy()) console.log(describe(f));
}

if (/bench-privacy\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
