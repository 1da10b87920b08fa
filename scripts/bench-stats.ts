/**
 * Benchmark of the statistics core: summarizeStudy on 1,000,000 answers (50 readers × 20,000
 * images, every answer with confidence, modality, label and resolution). Target: under 2 s.
 *
 *   npx tsx scripts/bench-stats.ts            prints min / median / max and peak memory
 *
 * `benchStats()` returns the figures so a combined `npm run bench` can import and print them.
 */
import { summarizeStudy, type StudyResponse } from '@/lib/stats';
import { uniformFromSeed } from '@/lib/studies/rng';

export interface BenchFigure {
  name: string;
  unit: string;
  runs: number[];
  /** The figure should stay at or below this. */
  target: number;
}

/** A study shaped like production data: shared id strings, one object per answer. */
export function makeStudy(readers = 50, images = 20_000, seed = 1): StudyResponse[] {
  const rand = uniformFromSeed(seed);
  const modalities = ['CT', 'MR', 'XR', 'US'];
  const labels = ['nodule', 'effusion', 'nodule|effusion', 'normal', 'mass', 'mass|nodule'];
  const resolutions = [256, 512, 1024, 2048];
  const imageIds = Array.from({ length: images }, (_, i) => `image-${i.toString(36).padStart(6, '0')}`);
  const imageInfo = imageIds.map(() => ({
    truth: (rand() < 0.5 ? 'SYNTHETIC' : 'REAL') as 'REAL' | 'SYNTHETIC',
    modality: modalities[Math.floor(rand() * modalities.length)],
    label: labels[Math.floor(rand() * labels.length)],
    resolution: resolutions[Math.floor(rand() * resolutions.length)],
  }));
  const out: StudyResponse[] = new Array(readers * images);
  let m = 0;
  for (let r = 0; r < readers; r++) {
    const readerId = `reader-${String(r).padStart(3, '0')}`;
    const skill = 0.5 + 0.2 * rand();
    for (let i = 0; i < images; i++) {
      const info = imageInfo[i];
      const correct = rand() < skill + info.resolution / 40_960;
      const call = correct ? info.truth : info.truth === 'REAL' ? 'SYNTHETIC' : 'REAL';
      out[m++] = {
        readerId,
        imageId: imageIds[i],
        truth: info.truth,
        call,
        confidence: 1 + Math.floor(rand() * 5),
        modality: info.modality,
        label: info.label,
        resolution: info.resolution,
        phase: 'SCORED',
      };
    }
  }
  return out;
}

const MiB = 1024 * 1024;

export async function benchStats(runs = 5): Promise<BenchFigure[]> {
  const study = makeStudy();
  const rssBefore = process.memoryUsage().rss;
  summarizeStudy(study, { margin: 0.1 }); // warm-up: JIT and inline caches
  const times: number[] = [];
  let peakRss = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    summarizeStudy(study, { margin: 0.1 });
    times.push(performance.now() - t);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const maxRss = (process.resourceUsage().maxRSS * 1024) / MiB;
  return [
    { name: 'summarizeStudy, 1,000,000 answers (50 readers × 20,000 images)', unit: 'ms', runs: times, target: 2000 },
    { name: 'peak RSS of the process (maxRSS, input data included)', unit: 'MiB', runs: [maxRss], target: 1536 },
    {
      name: 'RSS growth over the input data while summarising',
      unit: 'MiB',
      runs: [Math.max(0, peakRss - rssBefore) / MiB],
      target: 256,
    },
  ];
}

function describe(f: BenchFigure): string {
  const sorted = [...f.runs].sort((a, b) => a - b);
  const fmt = (x: number) => x.toFixed(f.unit === 'ms' ? 0 : 1);
  const median = sorted[Math.floor(sorted.length / 2)];
  const spread =
    sorted.length > 1
      ? `min ${fmt(sorted[0])} / median ${fmt(median)} / max ${fmt(sorted[sorted.length - 1])}`
      : fmt(sorted[0]);
  const ok = median <= f.target ? 'ok' : 'OVER TARGET';
  return `${f.name}: ${spread} ${f.unit} (target ≤ ${f.target} ${f.unit}: ${ok})`;
}

async function main() {
  for (const f of await benchStats()) console.log(describe(f));
}

if (/bench-stats\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
