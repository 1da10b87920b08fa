/**
 * `npm run worker`: takes background jobs (lib/jobs: the memorisation check, later GAN generation) from
 * the queue in the application's database until stopped. `npm start` runs one beside the web server;
 * at scale, run as many as there are CPUs (or GPUs) to spare, on any machine that reaches the database.
 *
 *   DATABASE_URL=postgresql://… npm run worker
 *
 * Without DATABASE_URL it uses the embedded PostgreSQL under DATA_DIR (shared with a running `npm start`,
 * else started for as long as the worker runs).
 * Ctrl-C (SIGINT) or SIGTERM stops it: the job in hand is told to stop and is retried later, by this or
 * another worker, from where it got to.
 */
import { getConfig } from '@/lib/config';
import { disconnectPrisma } from '@/lib/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/migrations';
import { startWorker } from '@/lib/jobs/worker';

const log = (line: string) => console.log(`[worker] ${line}`);

async function main() {
  const config = getConfig();
  let embedded: EmbeddedDatabase | null = null;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
    process.env.DATABASE_URL = embedded.url;
    log(`DATABASE_URL is not set: using the embedded PostgreSQL on port ${config.EMBEDDED_PG_PORT}.`);
  }
  // Under an advisory lock, so a worker and web servers starting together do not collide.
  const migrations = await applyMigrations(process.env.DATABASE_URL);
  if (migrations.applied.length) log(`applied migrations: ${migrations.applied.join(', ')}`);
  const worker = await startWorker({ log });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await worker.stop().catch((error) => console.error(error));
    await disconnectPrisma().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(`[worker] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
