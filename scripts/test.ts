/**
 * `npm test`: the whole suite against real services.
 *   1. unit tests (vitest, pure modules)
 *   2. integration tests (vitest) on a throwaway database of a real PostgreSQL
 *   3. end-to-end tests (Playwright, Chromium) against the built app on another throwaway database
 * The Postgres is the one on 127.0.0.1:5432 when it answers, else an embedded one (tests/support/postgres.ts).
 * Databases are dropped afterwards, whatever the outcome.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../tests/support/postgres';
import { freePort, waitForHealth } from '../tests/support/app';
import { buildIfNeeded } from './lib/build';
import { hostileLimitsEnv } from './make-hostile-fixtures';

type StepResult = { name: string; ok: boolean; seconds: number };

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
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' };
  const vitest = path.resolve('node_modules', 'vitest', 'vitest.mjs');
  const playwright = path.resolve('node_modules', '@playwright', 'test', 'cli.js');
  const step = async (name: string, work: () => Promise<boolean>) => {
    if (only && only !== name && !(name === 'build' && only !== 'unit')) return;
    const started = Date.now();
    console.log(`\n=== ${name} ===`);
    let ok = false;
    try {
      ok = await work();
    } catch (error) {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  };

  const server = await startTestServer();
  console.log(`Postgres for tests: ${server.description}`);
  const testEnv = { ...env, TEST_PG_ADMIN_URL: server.adminUrl };
  const e2eDb = uniqueDatabaseName('e2e');
  try {
    await step('unit', async () => (await run(process.execPath, [vitest, 'run', '--project', 'unit'], testEnv)) === 0);
    // The integration tests include fault tests that run the built app; build once for them and e2e.
    await step('build', async () => {
      await buildIfNeeded((line) => console.log(line));
      return true;
    });
    await step('integration', async () => (await run(process.execPath, [vitest, 'run', '--project', 'integration'], testEnv)) === 0);
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
        // Small upload limits, so that the hostile uploads of e2e/admin-upload.spec.ts stay small.
        ...hostileLimitsEnv(),
      };
      const app = spawn(process.execPath, [path.resolve('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts'], { stdio: 'inherit', env: appEnv });
      try {
        await waitForHealth(`http://127.0.0.1:${port}`, 180_000, app);
        // The start script prints "Ready" after seeding; health answers only once the server is up.
        const code = await run(process.execPath, [playwright, 'test', ...extra], { ...appEnv, E2E_BASE_URL: `http://127.0.0.1:${port}` });
        return code === 0;
      } finally {
        app.kill('SIGTERM');
        await new Promise((r) => app.once('exit', r));
      }
    });
  } finally {
    await dropDatabase(server.adminUrl, e2eDb).catch(() => undefined);
    await server.stop();
  }

  console.log('\n=== summary ===');
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.seconds.toFixed(1)} s`);
  const failed = results.filter((r) => !r.ok).length;
  process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
