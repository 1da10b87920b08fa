/**
 * Benchmark of the answer path, end to end on this machine: the built app (next start) on a throwaway
 * PostgreSQL database, N virtual readers each signed in with their own session and answering their
 * own sequence as fast as the server acknowledges (closed loop, loopback HTTP, keep-alive). Reports
 * answers stored per second and latency percentiles at 50 and 200 readers, and — in Chromium — the
 * time from the answer key to the next image painted (User Timing marks set by the reading room).
 *
 *   npx tsx scripts/bench-reading.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { hashPassword } from '@/lib/auth/passwords';
import { disconnectPrisma, getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { queueDemoGeneration, runDemoGeneration, seedDemoCheckpoints } from '@/lib/seed/demo-gan';
import { seedHeldOutPools } from '@/lib/seed/demo-held-out';
import { createStudy, openStudy } from '@/lib/studies/store';
import { getConfig } from '@/lib/config';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../tests/support/postgres';
import { freePort, signIn } from '../tests/support/app';
import { buildIfNeeded } from './lib/build';

export type Figure = { name: string; unit: string; runs: number[]; target?: string };

const PASSWORD = 'bench-reader-password';
const ITEMS_PER_RUN = 30;
const RUNS = 3;

/**
 * A request retried after a network error (Node's keep-alive client can reuse a socket the server just closed,
 * which ends in ECONNRESET on a loaded machine), as the reading room's queue does; an answer keeps its idempotency key.
 */
async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function makeStudy(readers: number, imagesPerReader: number, label: string) {
  const prisma = getPrisma();
  const passwordHash = await hashPassword(PASSWORD);
  const stamp = crypto.randomBytes(4).toString('hex');
  const users = [];
  for (let i = 0; i < readers; i++) users.push(await prisma.user.create({ data: { email: `bench-${label}-${i}-${stamp}@bench.local`, name: `Bench ${i}`, role: 'READER', passwordHash } }));
  const pools = await prisma.pool.findMany({ select: { id: true } });
  const study = await createStudy({
    name: `Bench ${label} ${stamp}`,
    config: { imagesPerReader, maxRunLength: 3, strata: { by: ['modality'] } },
    poolIds: pools.map((p) => p.id),
    readerIds: users.map((u) => u.id),
    createdById: null,
  });
  await openStudy(study.id, null);
  const assignments = await prisma.assignment.findMany({ where: { studyId: study.id }, include: { items: { orderBy: { position: 'asc' }, select: { token: true, position: true } } } });
  return users.map((u) => ({ email: u.email, ...assignments.find((a) => a.readerId === u.id)! }));
}

/**
 * The baseline: `clients` closed-loop clients POSTing an answer-sized body to the bare route POST
 * /api/bench/echo, client k on replica k mod bases.length (as a load balancer spreads readers).
 */
async function echoRun(bases: string[], clients: number, perClient: number) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const base = bases[client % bases.length];
      for (let i = 0; i < perClient; i++) {
        const t0 = performance.now();
        const body = JSON.stringify({ token: 'x'.repeat(43), position: i, call: 'SYNTHETIC', confidence: 3, clientMs: 900, idempotencyKey: crypto.randomUUID() });
        const response = await withRetries(async () => {
          const reply = await fetch(`${base}/api/bench/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
          await reply.arrayBuffer();
          return reply;
        });
        if (response.status !== 201) throw new Error(`POST /api/bench/echo answered ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p99: percentile(latencies, 99) };
}

/** Now on the monotonic clock that V8's CPU profiles use (CLOCK_MONOTONIC, µs), shared by every process on the machine. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Where the server's CPU went while readers answered (node --cpu-prof on the web server; only the samples
 * inside `windows`, the answer runs, so sign-ins (bcrypt), the baselines and the browser run do not count):
 * self time by function and by package, the largest first, as shares of those samples.
 */
function profileFigures(dir: string, windows: Array<[number, number]>): Figure[] {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) return [];
  // The web server is the busiest process (the start script and the worker idle).
  const biggest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  type Node = { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } };
  const profile = JSON.parse(fs.readFileSync(biggest, 'utf8')) as { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] };
  const hitsById = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, k) => {
    at += profile.timeDeltas[k];
    if (windows.some(([from, to]) => at >= from && at <= to)) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? 0;
    if (!hits) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node internals' : url ? (url.includes('/.next/') ? 'app (.next)' : 'other') : functionName || '(native)');
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/(\.next\/)/, '$1')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const figures: Figure[] = [];
  for (const [name, hits] of top(byPackage, 8)) figures.push({ name: `server CPU profile while answering, self time by package: ${name}`, unit: '%', runs: [(100 * hits) / total] });
  for (const [name, hits] of top(byFunction, 12)) figures.push({ name: `server CPU profile while answering, self time: ${name.replaceAll('|', '/')}`, unit: '%', runs: [(100 * hits) / total] });
  for (const f of figures) console.log(`${f.name}: ${f.runs[0].toFixed(1)} %`);
  return figures;
}

type LoadReader = { base: string; cookie: string; id: string; items: Array<{ token: string; position: number }> };

async function loadRun(readers: LoadReader[], from: number) {
  const latencies: number[] = [];
  let failures = 0;
  let retried = 0;
  const started = performance.now();
  await Promise.all(
    readers.map(async (reader) => {
      for (const item of reader.items.slice(from, from + ITEMS_PER_RUN)) {
        const t0 = performance.now();
        const body = JSON.stringify({ token: item.token, position: item.position, call: 'SYNTHETIC', confidence: 3, clientMs: 900, idempotencyKey: crypto.randomUUID() });
        const response = await withRetries(async () => {
          const reply = await fetch(`${reader.base}/api/reading/${reader.id}/answers`, { method: 'POST', headers: { 'Content-Type': 'application/json', cookie: reader.cookie }, body });
          await reply.arrayBuffer();
          return reply;
        });
        // A retry of a stored answer is acknowledged with 200 (the first acknowledgement was lost on the way).
        if (response.status === 200) retried++;
        latencies.push(performance.now() - t0);
        if (response.status !== 201 && response.status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

async function paintRun(base: string, reader: { email: string; id: string }, answers: number): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mail').fill(reader.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${base}/read/${reader.id}`);
    // The briefing, once per study, before the first image.
    await page.getByTestId('briefing').getByRole('button', { name: /begin/ }).click();
    for (let i = 0; i < answers; i++) {
      await page.locator('[data-testid="viewer-frame"][data-painted="true"]').waitFor();
      await page.waitForFunction((n) => performance.getEntriesByName('reading:painted').length > n, i);
      await page.waitForTimeout(150);
      await page.keyboard.press(i % 2 ? 'r' : 's');
      await page.keyboard.press('3');
      await page.keyboard.press('Enter');
    }
    await page.waitForFunction((n) => performance.getEntriesByName('reading:painted').length >= n, answers);
    await page.screenshot({ path: path.join('.data', 'bench', 'paint-last.png') }).catch(() => undefined);
    return await page.evaluate(() => {
      const submits = performance.getEntriesByName('reading:submit').map((e) => e.startTime);
      const paints = performance.getEntriesByName('reading:painted').map((e) => e.startTime);
      return submits.map((s) => (paints.find((p) => p > s) ?? NaN) - s).filter((d) => Number.isFinite(d));
    });
  } finally {
    await browser.close();
  }
}

export async function benchReading(): Promise<Figure[]> {
  const server = await startTestServer();
  const name = uniqueDatabaseName('bench');
  const databaseUrl = await createDatabase(server.adminUrl, name);
  process.env.DATABASE_URL = databaseUrl;
  const apps: ChildProcess[] = [];
  const acknowledged = new Map<string[], number>();
  const profileDir = path.resolve('.data', 'bench', 'cpu-profile');
  const figures: Figure[] = [];
  const answering: Array<[number, number]> = [];
  try {
    await applyMigrations(databaseUrl);
    // npm start's demo pools: held-out MedNIST images and the demo GANs' generation jobs, checked.
    if (!getConfig().trainingSetsDir) throw new Error('The reading benchmark needs the MedNIST training sets (TRAINING_SETS_DIR or ../shared/data/train).');
    await seedHeldOutPools(getConfig().trainingSetsDir, () => undefined);
    await runDemoGeneration(await queueDemoGeneration(await seedDemoCheckpoints(() => undefined), () => undefined), () => undefined);
    const levels = [50, 200];
    const [painter] = await makeStudy(1, 40, 'paint');

    await buildIfNeeded((line) => console.log(line));
    fs.rmSync(profileDir, { recursive: true, force: true });
    const launch = async (env: Record<string, string>) => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const child = spawn(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          SEED_DEMO: '0',
          // Shared by the replicas: one session secret (DATA_DIR/secrets.json), so a cookie works on either.
          DATA_DIR: path.join('.data', 'bench'),
          NEXTAUTH_URL: base,
          DATABASE_POOL_SIZE: '20',
          DATABASE_RAW_POOL_SIZE: '10',
          BENCH_ROUTES: '1',
          ...env,
        },
      });
      apps.push(child);
      for (let i = 0; i < 240; i++) {
        if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) return base;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`the app on ${base} did not start`);
    };
    const base = await launch({ WEB_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${profileDir}` });

    // Baseline in the same run: the framework's cost for a route with one trivial query.
    {
      const started = performance.now();
      let done = 0;
      await Promise.all(Array.from({ length: 50 }, async () => {
        for (let i = 0; i < 40; i++) {
          await (await fetch(`${base}/api/health`)).arrayBuffer();
          done++;
        }
      }));
      const perSecond = done / ((performance.now() - started) / 1000);
      console.log(`baseline /api/health, 50 concurrent clients: ${perSecond.toFixed(0)} requests/s`);
      figures.push({ name: 'baseline: GET /api/health (one SELECT 1), 50 concurrent clients', unit: 'requests/s', runs: [perSecond] });
    }

    /** Echo, then answers, at each level, on `bases` (one or more replicas); run k of the answers is compared with run k of the echo. */
    const measure = async (bases: string[], label: string, profile: boolean) => {
      const replicas = bases.length === 1 ? '' : `, ${bases.length} replicas`;
      const echo = new Map<number, number[]>();
      await echoRun(bases, 20, 20); // warm-up
      for (const level of levels) {
        const runs = [];
        for (let run = 0; run < RUNS; run++) runs.push(await echoRun(bases, level, Math.max(10, Math.round(3000 / level))));
        echo.set(level, runs.map((r) => r.perSecond));
        console.log(`echo${replicas}, ${level} clients: ${runs.map((r) => r.perSecond.toFixed(0)).join(' / ')} requests/s, p99 ${runs.map((r) => r.p99.toFixed(1)).join(' / ')} ms`);
        figures.push({ name: `baseline: POST /api/bench/echo (bare route: JSON body in, 201 out), ${level} concurrent clients${replicas}`, unit: 'requests/s', runs: echo.get(level)! });
        figures.push({ name: `baseline: POST /api/bench/echo latency p99, ${level} clients${replicas}`, unit: 'ms', runs: runs.map((r) => r.p99) });
      }
      for (const level of levels) {
        const readers: LoadReader[] = [];
        const study = await makeStudy(level, ITEMS_PER_RUN * RUNS + 2, `${label}-${level}`);
        for (const [k, r] of study.entries()) {
          const cookie = await withRetries(() => signIn(bases[0], r.email, PASSWORD, `10.9.${level}.${bases.length}`));
          // The briefing first: the server refuses answers before the reader confirmed it.
          const briefed = await withRetries(() => fetch(`${bases[0]}/api/reading/${r.id}/briefing`, { method: 'POST', headers: { cookie } }));
          if (!briefed.ok) throw new Error(`confirming the briefing answered ${briefed.status}`);
          readers.push({ base: bases[k % bases.length], cookie, id: r.id, items: r.items });
        }
        const perSecond: number[] = [];
        const p50: number[] = [];
        const p99: number[] = [];
        let failures = 0;
        for (let run = 0; run < RUNS; run++) {
          const from = monotonicMicros();
          const result = await loadRun(readers, run * ITEMS_PER_RUN);
          if (profile) answering.push([from, monotonicMicros()]);
          perSecond.push(result.perSecond);
          p50.push(result.p50);
          p99.push(result.p99);
          failures += result.failures;
        }
        if (failures) throw new Error(`${failures} answers were not stored at ${level} readers${replicas}`);
        acknowledged.set(study.map((r) => r.id), RUNS * ITEMS_PER_RUN);
        console.log(`${level} readers${replicas}: ${perSecond.map((x) => x.toFixed(0)).join(' / ')} answers/s, p50 ${p50.map((x) => x.toFixed(1)).join(' / ')} ms, p99 ${p99.map((x) => x.toFixed(1)).join(' / ')} ms`);
        const ratio = perSecond.map((x, k) => (100 * x) / echo.get(level)![k]);
        console.log(`${level} readers${replicas}: answers/s = ${ratio.map((x) => x.toFixed(0)).join(' / ')} % of the bare route`);
        figures.push({ name: `answers stored per second, ${level} concurrent readers${replicas}`, unit: 'answers/s', runs: perSecond });
        figures.push({ name: `answers/s as a share of the bare route's requests/s, ${level} readers${replicas} (same run)`, unit: '%', runs: ratio, target: '≥ 50 %' });
        figures.push({ name: `answer latency p50, ${level} readers${replicas}`, unit: 'ms', runs: p50 });
        figures.push({ name: `answer latency p99, ${level} readers${replicas}`, unit: 'ms', runs: p99, target: level === 50 && bases.length === 1 ? '< 100' : undefined });
      }
    };
    await measure([base], 'one', true);
    const paints = process.env.BENCH_SKIP_PAINT ? [NaN] : (await paintRun(base, painter, 30)).sort((a, b) => a - b);
    figures.push({ name: 'answer key → next image painted, p50 (Chromium)', unit: 'ms', runs: [percentile(paints, 50)] });
    figures.push({ name: 'answer key → next image painted, p95 (Chromium)', unit: 'ms', runs: [percentile(paints, 95)], target: '< 50' });

    // Two replicas on the one database (scripts/start.ts twice; the second without a worker), readers split between them.
    const second = await launch({ WORKERS: '0' });
    await measure([base, second], 'two', false);

    // Every acknowledged answer is stored exactly once, at its reader's positions 0…n−1.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      let wrong = 0;
      for (const [assignmentIds, expected] of acknowledged) {
        const { rows } = await db.query<{ answers: number; items: number; last: number | null }>(
          `SELECT count(r.id)::int AS answers, count(DISTINCT r."itemId")::int AS items, max(i.position) AS last
             FROM "AssignmentItem" i JOIN "Response" r ON r."itemId" = i.id
            WHERE i."assignmentId" = ANY($1) GROUP BY i."assignmentId"`,
          [assignmentIds],
        );
        wrong += Math.abs(assignmentIds.length - rows.length) * expected;
        for (const row of rows) wrong += Math.abs(row.answers - expected) + (row.answers - row.items) + Math.abs((row.last ?? -1) + 1 - expected);
      }
      console.log(`answers lost or duplicated: ${wrong}`);
      figures.push({ name: 'acknowledged answers lost or duplicated (all runs, checked in the database)', unit: 'answers', runs: [wrong], target: '0' });
      if (wrong) throw new Error(`${wrong} answers were lost or duplicated`);
    } finally {
      await db.end();
    }
  } finally {
    for (const app of apps) {
      if (app.exitCode !== null) continue;
      app.kill('SIGTERM');
      await new Promise((r) => app.once('exit', r));
    }
    await disconnectPrisma();
    await dropDatabase(server.adminUrl, name).catch(() => undefined);
    await server.stop();
  }
  // Written when the server exits (SIGTERM → process.exit), so read after the stop above.
  return [...figures, ...profileFigures(profileDir, answering)];
}

if (/bench-reading\.ts$/.test(process.argv[1] ?? '')) {
  benchReading()
    .then((figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.runs.map((r) => r.toFixed(1)).join(' / ')} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
