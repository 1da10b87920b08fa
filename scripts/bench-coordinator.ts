/**
 * Benchmarks of the coordinator's server side on a study of 1,000,000 answers (50 readers × 20,000
 * images, made with bulk SQL in a throwaway database, see scripts/lib/large-study.ts):
 *   - dashboard statistics: one columnar SQL load + every statistic (summary, MRMC ×5, ROC, fool
 *     rate), target < 2 s server time;
 *   - the tidy CSV export streamed to the end, target < 10 s, with flat memory (RSS growth while
 *     streaming, target ≤ 256 MiB for a ~270 MB file);
 *   - iMRMC and JSON summary exports, for information.
 *
 *   npx tsx scripts/bench-coordinator.ts      (or: npm run bench -- coordinator)
 *
 * `benchCoordinator()` returns the figures for scripts/bench.ts.
 */
import { pathToFileURL } from 'node:url';
import { closePgPool } from '@/lib/db/pg';
import { applyMigrations } from '@/lib/db/migrations';
import { disconnectPrisma } from '@/lib/db/client';
import { computeDashboard } from '@/lib/dashboard/compute';
import { computeStudyDashboard } from '@/lib/dashboard/store';
import { answersCsvStream, imrmcText, summaryJson } from '@/lib/exports/store';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../tests/support/postgres';
import { createLargeStudy } from './lib/large-study';

export type Figure = { name: string; unit: string; runs: number[]; target?: string };

const READERS = 50;
const IMAGES = 20_000;
const RUNS = 3;
const MiB = 1024 * 1024;

async function drain(stream: ReadableStream<Uint8Array>, onChunk: () => void): Promise<number> {
  const reader = stream.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
    onChunk();
  }
}

export async function benchCoordinator(log: (line: string) => void = console.log): Promise<Figure[]> {
  const server = await startTestServer();
  const name = uniqueDatabaseName('bench_coord');
  const url = await createDatabase(server.adminUrl, name);
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    await applyMigrations(url);
    let t = performance.now();
    const studyId = await createLargeStudy(url, READERS, IMAGES);
    log(`Made ${READERS * IMAGES} answers with bulk SQL in ${((performance.now() - t) / 1000).toFixed(1)} s.`);

    await computeStudyDashboard(studyId); // warm-up: JIT, connection pool, Postgres caches
    const dashboard: number[] = [];
    const load: number[] = [];
    const compute: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      await computeStudyDashboard(studyId);
      dashboard.push(performance.now() - t);
      t = performance.now();
      const data = await loadStudyData(studyId);
      load.push(performance.now() - t);
      t = performance.now();
      computeDashboard(data, (g) => `C${g}`);
      compute.push(performance.now() - t);
    }

    const csv: number[] = [];
    const growth: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      t = performance.now();
      size = await drain(await answersCsvStream(studyId), () => (peak = Math.max(peak, process.memoryUsage().rss)));
      csv.push(performance.now() - t);
      growth.push((peak - before) / MiB);
    }

    t = performance.now();
    const imrmc = await imrmcText(studyId);
    const imrmcMs = performance.now() - t;
    t = performance.now();
    await summaryJson(studyId);
    const jsonMs = performance.now() - t;
    log(`CSV ${(size / 1e6).toFixed(0)} MB, .imrmc ${(imrmc.length / 1e6).toFixed(0)} MB.`);

    const n = `${(READERS * IMAGES).toLocaleString('en')} answers`;
    return [
      { name: `dashboard statistics, ${n}: SQL load + every statistic (server time)`, unit: 'ms', runs: dashboard, target: '< 2000 ms' },
      { name: `  of which the columnar SQL load`, unit: 'ms', runs: load },
      { name: `  of which the statistics (summary, MRMC ×5, ROC, fool rate)`, unit: 'ms', runs: compute },
      { name: `CSV export of ${n}, streamed to the end (${(size / 1e6).toFixed(0)} MB)`, unit: 'ms', runs: csv, target: '< 10000 ms' },
      { name: 'RSS growth while streaming the CSV export', unit: 'MiB', runs: growth, target: '≤ 256 MiB (flat)' },
      { name: `iMRMC export, ${n}`, unit: 'ms', runs: [imrmcMs] },
      { name: `JSON summary export, ${n}`, unit: 'ms', runs: [jsonMs] },
    ];
  } finally {
    await closePgPool();
    await disconnectPrisma();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    await dropDatabase(server.adminUrl, name).catch(() => undefined);
    await server.stop();
  }
}

async function main() {
  for (const f of await benchCoordinator()) {
    const sorted = [...f.runs].sort((a, b) => a - b);
    const fmt = (x: number) => x.toFixed(0);
    console.log(`${f.name}: ${fmt(sorted[0])} / ${fmt(sorted[Math.floor(sorted.length / 2)])} / ${fmt(sorted[sorted.length - 1])} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
