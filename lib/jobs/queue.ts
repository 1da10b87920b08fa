import PgBoss from 'pg-boss';
import { getConfig } from '@/lib/config';
import { databaseUrl } from '@/lib/db/client';
import { jobKinds } from './registry';

/**
 * The queue is pg-boss, in its own schema of the application's database: jobs survive restarts, any
 * number of workers share them (SKIP LOCKED), and no other service is needed. One pg-boss queue per job
 * kind, named after it. A web process only sends (no maintenance); a worker also supervises (retries
 * expired jobs, archives finished ones).
 */
export const BOSS_SCHEMA = 'pgboss';

type Role = 'client' | 'worker';
const state = globalThis as unknown as { readerStudyBoss?: { role: Role; url: string; boss: Promise<PgBoss> } };

export async function getBoss(role: Role = 'client'): Promise<PgBoss> {
  const url = databaseUrl();
  const current = state.readerStudyBoss;
  if (current && current.url === url && (current.role === role || role === 'client')) return current.boss;
  if (current) await stopBoss();
  const config = getConfig();
  const boss = new PgBoss({
    connectionString: url,
    schema: BOSS_SCHEMA,
    application_name: `reader-study-${role}`,
    max: role === 'worker' ? 4 : 2,
    supervise: role === 'worker',
    schedule: false,
    migrate: true,
    maintenanceIntervalSeconds: config.JOB_MAINTENANCE_SECONDS,
  });
  boss.on('error', (error) => console.error(`[jobs] pg-boss: ${error.message}`));
  const started = (async () => {
    await boss.start();
    for (const kind of jobKinds()) await boss.createQueue(kind.kind);
    return boss;
  })();
  state.readerStudyBoss = { role, url, boss: started };
  try {
    return await started;
  } catch (error) {
    state.readerStudyBoss = undefined;
    throw error;
  }
}

export async function stopBoss(): Promise<void> {
  const current = state.readerStudyBoss;
  state.readerStudyBoss = undefined;
  if (!current) return;
  const boss = await current.boss.catch(() => null);
  await boss?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
}
