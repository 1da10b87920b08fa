/**
 * `npm start`: the whole app on one machine. Without DATABASE_URL it runs an embedded PostgreSQL under
 * DATA_DIR; it applies migrations, seeds the demo once (accounts, pools, the demo GANs' generation jobs and
 * memorisation checks, run on a worker in this process, then the demo studies), builds when the sources
 * changed, serves on PORT with one background worker beside it (scripts/worker.ts: memorisation checks)
 * and stops everything cleanly on Ctrl-C. With DATABASE_URL it uses that database and starts no database
 * (no demo data unless SEED_DEMO=1); WORKERS=0 starts no worker (run them elsewhere with npm run worker).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';
import { loadOrCreateSecrets } from '@/lib/auth/secret';
import { generatePassword } from '@/lib/auth/passwords';
import { disconnectPrisma } from '@/lib/db/client';
import { closePgPool } from '@/lib/db/pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/migrations';
import { DEMO_ACCOUNTS, seedDemoAccounts, seedDemoPools } from '@/lib/seed/demo';
import { queueDemoGeneration, runDemoGeneration, seedDemoCheckpoints } from '@/lib/seed/demo-gan';
import { seedHeldOutPools } from '@/lib/seed/demo-held-out';
import { seedDemoStudies } from '@/lib/seed/demo-study';
import { buildIfNeeded } from './lib/build';

const log = (line: string) => console.log(`[start] ${line}`);

function demoPassword(dataDir: string): string {
  const configured = process.env.DEMO_PASSWORD;
  if (configured) return configured;
  const file = path.join(dataDir, 'demo-password');
  if (!fs.existsSync(file)) fs.writeFileSync(file, generatePassword(), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The web server exited with code ${child.exitCode}.`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The web server did not answer ${url} within ${timeoutMs / 1000} s.`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
async function terminate(process_: ChildProcess | null, graceMs: number): Promise<void> {
  if (!process_ || process_.exitCode !== null || process_.signalCode !== null) return;
  process_.kill('SIGTERM');
  await new Promise((resolve) => {
    const timer = setTimeout(() => {
      process_.kill('SIGKILL');
      resolve(null);
    }, graceMs);
    process_.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

async function main() {
  const started = Date.now();
  const isDev = process.argv.includes('--dev');
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const config = getConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });

  let embedded: EmbeddedDatabase | null = null;
  const isEmbedded = !process.env.DATABASE_URL;
  if (isEmbedded) {
    log(`No DATABASE_URL: starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), config.dataDir) || '.'}/pg).`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
    process.env.DATABASE_URL = embedded.url;
  }
  let child: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  let isStopping = false;
  const stop = async (code: number) => {
    if (isStopping) return;
    isStopping = true;
    log('Stopping…');
    await Promise.all([terminate(child, 5000), terminate(worker, 15_000)]);
    await disconnectPrisma().catch(() => undefined);
    await closePgPool().catch(() => undefined);
    if (embedded) {
      await embedded.stop().catch((error) => console.error(error));
      log('PostgreSQL stopped.');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const migrations = await applyMigrations(process.env.DATABASE_URL!);
    if (migrations.applied.length) log(`Applied migrations: ${migrations.applied.join(', ')}`);

    const shouldSeed = isEmbedded ? process.env.SEED_DEMO !== '0' : process.env.SEED_DEMO === '1';
    let password: string | null = null;
    if (shouldSeed) {
      password = demoPassword(config.dataDir);
      const created = await seedDemoAccounts(password);
      if (created) log(`Created ${created} demo account(s).`);
      const seedStarted = Date.now();
      const checkpoints = await seedDemoCheckpoints(log);
      if (config.demoDataDir) await seedDemoPools(config.demoDataDir, log);
      else log('No demo images (DEMO_DATA_DIR unset and ../shared/data/demo absent). Import your own with: npm run import -- --dir <folder> --modality CXR|CT_HEAD --origin real|synthetic');
      // The demo studies: held-out MedNIST images (real) against the demo GANs' generation jobs (synthetic),
      // opened once the jobs and their memorisation checks are done.
      await seedHeldOutPools(config.trainingSetsDir, log);
      const generation = await runDemoGeneration(await queueDemoGeneration(checkpoints, log), log);
      await seedDemoStudies(generation, log);
      log(`Demo data ready after ${((Date.now() - seedStarted) / 1000).toFixed(1)} s.`);
    }
    await disconnectPrisma();
    await closePgPool();

    const secrets = loadOrCreateSecrets();
    const env = {
      ...process.env,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.nextAuthSecret,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`,
      NEXT_TELEMETRY_DISABLED: '1',
    };
    if (!isDev) await buildIfNeeded(log);
    // The app's own server (scripts/server.ts, not `next start`): it gives route handlers the peer address.
    // WEB_NODE_FLAGS: extra Node flags for the web server only (the reading bench passes --cpu-prof, which NODE_OPTIONS refuses).
    const webFlags = (process.env.WEB_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    child = spawn(process.execPath, [...webFlags, '--import', 'tsx', path.join('scripts', 'server.ts'), ...(isDev ? ['--dev'] : []), '-p', String(config.PORT)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...env, NODE_ENV: isDev ? 'development' : 'production' },
    });
    child.on('exit', (code) => {
      if (!isStopping) {
        console.error(`[start] The web server exited (code ${code}).`);
        void stop(code ?? 1);
      }
    });
    if (process.env.WORKERS !== '0') {
      const startWorker = () => {
        // `node --import tsx`: one process (no tsx wrapper that could be left behind on Ctrl-C).
        worker = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'worker.ts')], { stdio: ['ignore', 'inherit', 'inherit'], env });
        worker.on('exit', (code, signal) => {
          if (isStopping) return;
          console.error(`[start] The worker exited (${signal ?? `code ${code}`}); starting another in 2 s.`);
          setTimeout(() => !isStopping && startWorker(), 2000);
        });
      };
      startWorker();
    }
    await waitForHealth(`http://127.0.0.1:${config.PORT}/api/health`, child);
    log(`Ready on http://localhost:${config.PORT} after ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (password) {
      log('Demo accounts (password below):');
      for (const account of DEMO_ACCOUNTS) log(`  ${account.role.padEnd(11)} ${account.email}`);
      log(`  password: ${password}`);
      log(
        process.env.DEMO_PASSWORD
          ? '  (from DEMO_PASSWORD; used when the accounts are first created)'
          : `  (generated for this installation and kept in ${path.relative(process.cwd(), path.join(config.dataDir, 'demo-password'))}; set DEMO_PASSWORD before the first start to choose it, or change it in the app under "Password")`,
      );
    }
    log('Press Ctrl-C to stop.');
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main();
