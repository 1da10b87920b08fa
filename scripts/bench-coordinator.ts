/**
 * Benchmarks of the coordinator's server side on a study of 1,000,000 answers (50 readers × 20,000
 * images, made with bulk SQL in a throwaway database, see scripts/lib/large-study.ts):
 *   - dashboard statistics: one columnar SQL load (records stored with each answer) + every statistic
 *     (summary, MRMC ×5 in a second thread, ROC, fool rate), target < 2 s server time;
 *   - the tidy CSV export streamed to the end, target < 10 s, with flat memory (RSS growth while
 *     streaming, target ≤ 256 MiB for a ~270 MB file);
 *   - iMRMC and JSON summary exports, for information;
 *   - a same-run baseline: the SQL the dashboard ran before the per-study answer table (the columnar load
 *     joining "Response" to "AssignmentItem" by item id, and the interim looks' separate window query over
 *     the same million rows), so that before/after is a ratio on one machine under one load.
 *
 *   npx tsx scripts/bench-coordinator.ts      (or: npm run bench -- coordinator)
 *   BENCH_COORDINATOR_SECTIONS=dashboard npx tsx scripts/bench-coordinator.ts   (only some sections:
 *     a comma-separated list of dashboard, csv, exports; all three by default)
 *
 * `benchCoordinator()` returns the figures for scripts/bench.ts.
 */
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { closePgPool, getPgPool } from '@/lib/db/pg';
import { applyMigrations } from '@/lib/db/migrations';
import { disconnectPrisma } from '@/lib/db/client';
import { computeStudyDashboard, statsOfStudyData, studyProgress } from '@/lib/dashboard/store';
import { answersCsvStream, imrmcText, loadExportStudy, summaryJson } from '@/lib/exports/store';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../tests/support/postgres';
import { createLargeStudy } from './lib/large-study';

export type Figure = { name: string; unit: string; runs: number[]; target?: string };

const SECTIONS = ['dashboard', 'csv', 'exports'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections BENCH_COORDINATOR_SECTIONS asks for (comma-separated), all by default. */
function sectionsToRun(): Set<Section> {
  const asked = process.env.BENCH_COORDINATOR_SECTIONS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!asked?.length) return new Set(SECTIONS);
  const unknown = asked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`BENCH_COORDINATOR_SECTIONS: unknown ${unknown.join(', ')}; use ${SECTIONS.join(', ')}`);
  return new Set(asked as Section[]);
}

const READERS = 50;
const IMAGES = 20_000;
const RUNS = 3;
const CSV_RUNS = 2;
const MiB = 1024 * 1024;

/** The dashboard's SQL before the StudyAnswer table (baseline only; the app no longer runs it). */
const PREVIOUS_LOAD_SQL = `
  WITH im AS (SELECT "imageId", (row_number() OVER (ORDER BY "imageId") - 1)::int AS k FROM "StudyImage" WHERE "studyId" = $1)
  SELECT i."assignmentId", max(r."createdAt") AS "lastActivity",
         string_agg(int4send(im.k) || int4send((CASE WHEN r.call = 'SYNTHETIC' THEN 1 ELSE 0 END | CASE WHEN i.phase = 'PRACTICE' THEN 2 ELSE 0 END
                    | CASE WHEN i."isRepeat" THEN 4 ELSE 0 END | CASE WHEN r.confidence IS NULL THEN 0 ELSE (r.confidence + 65536) << 3 END)::int4)
                    || int4send(coalesce(r."clientMs", -1)) || int4send(coalesce(r."serverMs", -1)), ''::bytea) AS answers
    FROM "AssignmentItem" i
    JOIN "Response" r ON r."itemId" = i.id AND r.revision = 0
    JOIN im ON im."imageId" = i."imageId"
   WHERE i."assignmentId" IN (SELECT id FROM "Assignment" WHERE "studyId" = $1)
   GROUP BY i."assignmentId"`;
const PREVIOUS_INTERIM_SQL = `
  WITH s AS (
    SELECT row_number() OVER (ORDER BY r.id) AS pos, (r.call::text = im.origin::text) AS correct
      FROM "Response" r
      JOIN "AssignmentItem" i ON i.id = r."itemId"
      JOIN "Assignment" a ON a.id = i."assignmentId"
      JOIN "Image" im ON im.id = i."imageId"
     WHERE a."studyId" = $1 AND r.revision = 0 AND i.phase = 'SCORED' AND NOT i."isRepeat" AND r.call IS NOT NULL)
  SELECT (SELECT count(*) FROM s)::int AS answered,
         ARRAY(SELECT count(*) FILTER (WHERE s.correct)::int
                 FROM unnest($2::int[]) WITH ORDINALITY AS l(n, k) LEFT JOIN s ON s.pos <= l.n
                GROUP BY l.k ORDER BY l.k) AS correct`;

async function previousSql(studyId: string): Promise<void> {
  const client = await getPgPool().connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL work_mem = '256MB'`);
    await client.query(PREVIOUS_LOAD_SQL, [studyId]);
    await client.query(PREVIOUS_INTERIM_SQL, [studyId, [READERS * IMAGES]]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

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
  const sections = sectionsToRun();
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

    const n = `${(READERS * IMAGES).toLocaleString('en')} answers`;
    const figures: Figure[] = [];
    const loadAverage: number[] = [];

    if (sections.has('dashboard')) {
      await computeStudyDashboard(studyId); // warm-up: JIT, connection pool, Postgres caches, the MRMC thread
      const { rows: secrets } = await getPgPool().query<{ secret: string }>(`SELECT secret FROM "Study" WHERE id = $1`, [studyId]);
      const secret = secrets[0].secret;
      const dashboard: number[] = [];
      const dashboardCpu: number[] = [];
      const load: number[] = [];
      const compute: number[] = [];
      const previous: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        loadAverage.push(os.loadavg()[0]);
        t = performance.now();
        await previousSql(studyId);
        previous.push(performance.now() - t);
        t = performance.now();
        const cpu = process.cpuUsage();
        await computeStudyDashboard(studyId);
        dashboard.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        dashboardCpu.push((used.user + used.system) / 1000);
        t = performance.now();
        const data = await loadStudyData(studyId);
        load.push(performance.now() - t);
        t = performance.now();
        await statsOfStudyData(data, secret);
        compute.push(performance.now() - t);
      }

      await studyProgress(studyId);
      const poll: number[] = [];
      for (let i = 0; i < 20; i++) {
        t = performance.now();
        await studyProgress(studyId);
        poll.push(performance.now() - t);
      }
      figures.push(
        { name: `dashboard statistics, ${n}: SQL load + every statistic (server time)`, unit: 'ms', runs: dashboard, target: '< 2000 ms' },
        { name: `  the same, CPU time of this process (the database's own work not included)`, unit: 'ms', runs: dashboardCpu },
        { name: `  of which the columnar SQL load`, unit: 'ms', runs: load },
        { name: `  of which the statistics (summary, MRMC ×5 in a second thread, ROC, fool rate, case ids, interim looks)`, unit: 'ms', runs: compute },
        { name: `baseline, same run: the SQL before the per-study answer table (load joining Response to AssignmentItem + interim window query)`, unit: 'ms', runs: previous },
        { name: `  that baseline ÷ the whole dashboard now (SQL load + interim + every statistic), same run`, unit: '×', runs: previous.map((p, i) => p / dashboard[i]) },
        { name: `  that baseline ÷ the columnar SQL load now, same run`, unit: '×', runs: previous.map((p, i) => p / load[i]) },
        { name: `dashboard poll (cache version: the study's answer counter), ${n}`, unit: 'ms', runs: poll, target: 'constant in the answer count' },
      );
    }

    if (sections.has('csv')) {
      const csv: number[] = [];
      const growth: number[] = [];
      const peakRss: number[] = [];
      let size = 0;
      for (let i = 0; i < CSV_RUNS; i++) {
        loadAverage.push(os.loadavg()[0]);
        global.gc?.();
        const before = process.memoryUsage().rss;
        let peak = before;
        t = performance.now();
        size = await drain(await answersCsvStream(await loadExportStudy(studyId)), () => (peak = Math.max(peak, process.memoryUsage().rss)));
        csv.push(performance.now() - t);
        growth.push((peak - before) / MiB);
        peakRss.push(peak / MiB);
        log(`CSV run ${i + 1}: ${((performance.now() - t) / 1000).toFixed(1)} s, RSS ${(before / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB`);
      }
      log(`CSV ${(size / 1e6).toFixed(0)} MB.`);
      figures.push(
        { name: `CSV export of ${n}, streamed to the end (${(size / 1e6).toFixed(0)} MB)`, unit: 'ms', runs: csv, target: '< 10000 ms' },
        { name: 'RSS growth while streaming the CSV export', unit: 'MiB', runs: growth, target: '≤ 256 MiB (flat)' },
        { name: 'peak RSS of the process while streaming the CSV export', unit: 'MiB', runs: peakRss },
      );
    }

    if (sections.has('exports')) {
      // As a download does it: the study and its answers loaded once, then formatted.
      loadAverage.push(os.loadavg()[0]);
      t = performance.now();
      const exported = await loadExportStudy(studyId);
      const imrmc = imrmcText(exported, await loadStudyData(studyId));
      const imrmcMs = performance.now() - t;
      t = performance.now();
      await summaryJson(exported, await loadStudyData(studyId));
      const jsonMs = performance.now() - t;
      log(`.imrmc ${(imrmc.length / 1e6).toFixed(0)} MB.`);
      figures.push({ name: `iMRMC export, ${n}`, unit: 'ms', runs: [imrmcMs] }, { name: `JSON summary export, ${n}`, unit: 'ms', runs: [jsonMs] });
    }

    figures.push({ name: '1-minute load average of the machine (2 cores, shared) at each measured run', unit: '', runs: loadAverage });
    return figures;
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
    const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
    console.log(`${f.name}: ${fmt(sorted[0])} / ${fmt(sorted[Math.floor(sorted.length / 2)])} / ${fmt(sorted[sorted.length - 1])} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
