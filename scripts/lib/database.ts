import { getConfig } from '@/lib/config';
import { disconnectPrisma } from '@/lib/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/migrations';

/**
 * Runs `work` with DATABASE_URL pointing at a migrated database: the configured one, or the embedded
 * server under DATA_DIR (started for the duration when `npm start` is not already running it).
 */
export async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
  const config = getConfig();
  let embedded: EmbeddedDatabase | null = null;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
    process.env.DATABASE_URL = embedded.url;
  }
  try {
    await applyMigrations(process.env.DATABASE_URL!);
    return await work();
  } finally {
    await disconnectPrisma();
    if (embedded) await embedded.stop();
  }
}
