/**
 * `npm test`: the whole suite against real services.
 *   1. unit tests (vitest, pure modules)
 *   2. integration tests (vitest) on a throwaway database of a real PostgreSQL
 *   3. end-to-end tests (Playwright, Chromium) against the built app on another throwaway database
 * The Postgres is the one on 127.0.0.1:5432 when it answers, else an embedded one (tests/support/postgres.ts).
 * Databases are dropped afterwards, whatever the outcome.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../tests/support/postgres';
import { freePort, waitForHealth } from '../tests/support/app';
import { buildIfNeeded } from './lib/build';
import { hostileLimitsEnv } from './make-hostile-fixtures';
import { MissingPrerequisite, provisionPrerequisites } from './lib/prerequisites';

type Counts = { passed: number; failed: number; skipped: number };
/** A step's counts and what failed in it (file › test: the first line of the error), printed in the summary. */
type StepCounts = Counts & { failures: string[] };
type StepResult = { name: string; ok: boolean; seconds: number; counts?: StepCounts };

/** The first line of an error message, short enough for a summary line. */
const firstLine = (message: string | undefined) => (message ?? '').replace(/\u001b\[[0-9;]*m/g, '').trim().split('\n')[0].slice(0, 300);

/** Test counts from vitest's JSON report; a run that wrote none (it crashed) counts as one failure. */
function vitestCounts(file: string): StepCounts {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: ['no report: the runner crashed (see above)'] };
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ status: string; fullName: string; failureMessages?: string[] }> }>;
  };
  const failures: string[] = [];
  let brokenFiles = 0;
  for (const result of report.testResults) {
    const where = path.relative(process.cwd(), result.name);
    const failed = result.assertionResults.filter((a) => a.status === 'failed');
    for (const a of failed) failures.push(`${where} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    // A file that failed with no failing test of its own (it did not load, or a beforeAll threw) counts as one failure.
    if (result.status === 'failed' && failed.length === 0) {
      brokenFiles++;
      failures.push(`${where}: ${firstLine(result.message) || 'the file failed outside its tests'}`);
    }
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles, skipped: report.numPendingTests + report.numTodoTests, failures };
}

type PlaywrightSuite = {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: Array<{ title: string; file: string; line: number; ok: boolean; tests: Array<{ results: Array<{ error?: { message?: string } }> }> }>;
};

/** Test counts from Playwright's JSON report (flaky tests passed on a retry; retries are off). */
function playwrightCounts(file: string): StepCounts {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: ['no report: the runner crashed (see above)'] };
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: Array<{ message?: string }>; suites?: PlaywrightSuite[] };
  const { expected, unexpected, flaky, skipped } = report.stats;
  const failures: string[] = [];
  // Top-level suites are files (paths relative to testDir, e2e/); nested ones are describe blocks.
  const visit = (suite: PlaywrightSuite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      if (spec.ok) continue;
      const error = spec.tests.flatMap((t) => t.results).find((r) => r.error)?.error;
      failures.push(`e2e/${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}: ${firstLine(error?.message)}`);
    }
    for (const child of suite.suites ?? []) visit(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) visit(suite, []);
  const runnerFailed = expected + unexpected + flaky === 0 && report.errors?.length ? 1 : 0;
  if (runnerFailed) failures.push(firstLine(report.errors?.[0]?.message));
  return { passed: expected + flaky, failed: unexpected + runnerFailed, skipped, failures };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main() {
  const only = process.argv[2];
  // `npx tsx scripts/test.ts e2e e2e/some.spec.ts` runs one step with arguments for its runner.
  const extra = process.argv.slice(3);
  const results: StepResult[] = [];
  const wants = (name: string) => !only || only === name;
  let provisioned;
  try {
    // Before anything runs: a missing browser or PyTorch stops here with the command to run, not half-way through.
    provisioned = provisionPrerequisites({ chromium: wants('e2e'), torch: wants('unit') });
  } catch (error) {
    if (!(error instanceof MissingPrerequisite)) throw error;
    console.error(`\nCannot run the tests yet.\n${error.message}`);
    process.exit(2);
  }
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-study-test-'));
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    CHECKPOINT_DISABLE: '1',
    PYTHON_TORCH: provisioned.pythonTorch,
    ...(provisioned.chromiumPath ? { CHROMIUM_PATH: provisioned.chromiumPath } : {}),
  };
  const vitest = path.resolve('node_modules', 'vitest', 'vitest.mjs');
  const playwright = path.resolve('node_modules', '@playwright', 'test', 'cli.js');
  const step = async (name: string, work: () => Promise<boolean>, counts?: () => StepCounts) => {
    if (only && only !== name && !(name === 'build' && only !== 'unit')) return;
    const started = Date.now();
    console.log(`\n=== ${name} ===`);
    let ok = false;
    try {
      ok = await work();
    } catch (error) {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    results.push({ name, ok, seconds: (Date.now() - started) / 1000, counts: counts?.() });
  };
  const vitestRun = async (project: string) => {
    const report = path.join(reports, `${project}.json`);
    // `npx tsx scripts/test.ts integration tests/integration/x.test.ts` runs only those files.
    const files = only === project ? extra : [];
    return (await run(process.execPath, [vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...files], testEnv)) === 0;
  };

  const server = await startTestServer();
  console.log(`Postgres for tests: ${server.description}`);
  const testEnv = { ...env, TEST_PG_ADMIN_URL: server.adminUrl };
  const e2eDb = uniqueDatabaseName('e2e');
  try {
    await step('unit', () => vitestRun('unit'), () => vitestCounts(path.join(reports, 'unit.json')));
    // The integration tests include fault tests that run the built app; build once for them and e2e.
    await step('build', async () => {
      const warnings = await buildIfNeeded((line) => console.log(line));
      // A clean build is part of the suite: e.g. "Dynamic filesystem access causes tracing of the whole project".
      for (const warning of warnings) console.error(`build: ${warning}`);
      return warnings.length === 0;
    });
    await step('integration', () => vitestRun('integration'), () => vitestCounts(path.join(reports, 'integration.json')));
    await step('e2e', async () => {
      await buildIfNeeded((line) => console.log(line));
      const databaseUrl = await createDatabase(server.adminUrl, e2eDb);
      const port = await freePort();
      const demoPassword = 'demo-password-e2e';
      const appEnv = {
        ...testEnv,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        SEED_DEMO: '1',
        DEMO_PASSWORD: demoPassword,
        DATA_DIR: path.join('.data', 'e2e'),
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        // The tests play the proxy: X-Forwarded-For from this machine stands for many client addresses.
        TRUSTED_PROXIES: '127.0.0.1,::1',
        // Small upload limits, so that the hostile uploads of e2e/admin-upload.spec.ts stay small.
        ...hostileLimitsEnv(),
        // Browser generation (e2e/gan-browser.spec.ts): small ranges, short leases (a closed tab's range returns
        // within seconds), and every image checked so that a tampered image is always in the sample.
        GAN_BROWSER_CHUNK_IMAGES: '8',
        GAN_BROWSER_LEASE_SECONDS: '6',
        GAN_BROWSER_CHECK_FRACTION: '1',
      };
      const app = spawn(process.execPath, [path.resolve('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts'], { stdio: 'inherit', env: appEnv });
      try {
        // The demo seed runs the demo GANs' generation jobs and memorisation checks before the server starts.
        await waitForHealth(`http://127.0.0.1:${port}`, 420_000, app);
        // The start script prints "Ready" after seeding; health answers only once the server is up.
        const code = await run(process.execPath, [playwright, 'test', '--reporter=list,json', ...extra], {
          ...appEnv,
          E2E_BASE_URL: `http://127.0.0.1:${port}`,
          PLAYWRIGHT_JSON_OUTPUT_FILE: path.join(reports, 'e2e.json'),
        });
        return code === 0;
      } finally {
        app.kill('SIGTERM');
        await new Promise((r) => app.once('exit', r));
      }
    }, () => playwrightCounts(path.join(reports, 'e2e.json')));
  } finally {
    await dropDatabase(server.adminUrl, e2eDb).catch(() => undefined);
    await server.stop();
  }

  console.log('\n=== summary ===');
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    const c = r.counts;
    if (c) for (const key of ['passed', 'failed', 'skipped'] as const) total[key] += c[key];
    const detail = c ? `  ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}` : '';
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s${detail}`);
  }
  // What failed, by name, at the very end: a log shown only by its tail still says which test to look at.
  const failures = results.flatMap((r) => (r.counts?.failures ?? []).map((f) => `  ${r.name}: ${f}`));
  if (failures.length) console.log(`failed:\n${failures.slice(0, 20).join('\n')}${failures.length > 20 ? `\n  … and ${failures.length - 20} more` : ''}`);
  fs.rmSync(reports, { recursive: true, force: true });
  const failedSteps = results.filter((r) => !r.ok).length;
  // A step that failed without a failing test (a crash, a build error) still fails the run, and counts once.
  total.failed += results.filter((r) => !r.ok && (!r.counts || r.counts.failed === 0)).length;
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  process.exit(failedSteps === 0 && results.length > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
