/**
 * Benchmark of the OR–Hillis MRMC analysis (lib/stats/mrmc) on a study far larger than a
 * typical reader study: 20 readers × 2 tests × 2,000 cases (80,000 ratings), the full pipeline
 * from records (validation, placement values, covariance, OR–Hillis) per covariance method.
 *
 * Run: npx tsx scripts/bench-mrmc.ts. `benchMrmc()` is exported for a combined `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { mrmcOrHillis, type CovMethod, type MrmcRecord } from '../lib/stats/mrmc';
import { uniformFromSeed } from '@/lib/studies/rng';

export interface BenchResult {
  name: string;
  unit: string;
  runs: number[];
  target?: string;
}

const READERS = 20;
const TESTS = 2;
const CASES = 2000;

/** Seeded binormal study with a shared case effect; ratings on a 0–100 slider, so with ties. */
function simulateStudy(seed: number): MrmcRecord[] {
  const uniform = uniformFromSeed(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const caseEffect = Array.from({ length: CASES }, normal);
  const records: MrmcRecord[] = [];
  for (let t = 0; t < TESTS; t++) {
    for (let r = 0; r < READERS; r++) {
      for (let c = 0; c < CASES; c++) {
        const truth = c % 2 === 0 ? 1 : 0;
        const z = (0.8 + 0.2 * t) * truth + 0.6 * caseEffect[c] + 0.8 * normal();
        const rating = Math.min(100, Math.max(0, Math.round(50 + 20 * z)));
        records.push({ reader: `reader-${r + 1}`, test: `test-${t + 1}`, case: `case-${c + 1}`, truth, rating });
      }
    }
  }
  return records;
}

function timeOnce(fn: () => void): number {
  const start = performance.now();
  fn();
  return Math.round((performance.now() - start) * 10) / 10;
}

/** The first call (cold: includes JIT compilation) separately from the steady-state runs. */
function time(fn: () => void, runs: number): { cold: number; runs: number[] } {
  const cold = timeOnce(fn);
  return { cold, runs: Array.from({ length: runs }, () => timeOnce(fn)) };
}

export async function benchMrmc(): Promise<BenchResult[]> {
  const records = simulateStudy(20240601);
  const label = `${READERS} readers × ${TESTS} tests × ${CASES} cases`;
  const plan: Array<{ cov: CovMethod; runs: number; target?: string }> = [
    { cov: 'delong', runs: 5, target: '< 2000 ms' },
    { cov: 'jackknife', runs: 5 },
    { cov: 'unbiased', runs: 3 },
  ];
  const results: BenchResult[] = [];
  for (const { cov, runs, target } of plan) {
    const t = time(() => mrmcOrHillis(records, { cov }), runs);
    const extra = target ? { target } : {};
    results.push({ name: `mrmcOrHillis ${cov}, ${label}, first call`, unit: 'ms', runs: [t.cold], ...extra });
    results.push({ name: `mrmcOrHillis ${cov}, ${label}`, unit: 'ms', runs: t.runs, ...extra });
  }
  return results;
}

async function main() {
  const results = await benchMrmc();
  for (const r of results) {
    const sorted = [...r.runs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`${r.name}: median ${median} ${r.unit} (runs ${r.runs.join(', ')})${r.target ? `, target ${r.target}` : ''}`);
  }
  console.log(JSON.stringify(results, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
