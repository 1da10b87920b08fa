import pg from 'pg';
import { databaseUrl } from './client';

/**
 * A plain node-postgres pool beside the Prisma client, for the paths where Prisma's per-row objects
 * cost too much: dashboard statistics over a million answers (one columnar query), streamed exports
 * (keyset-paged raw SQL), bulk reads of image bytes, and the answer path (one prepared statement per
 * answer, lib/reading/store.ts), which is why it is as large as Prisma's by default. Lazy, like the Prisma client.
 */
const globalForPg = globalThis as unknown as { pgPool?: pg.Pool; pgPoolUrl?: string };

export function getPgPool(): pg.Pool {
  const url = databaseUrl();
  if (globalForPg.pgPool && globalForPg.pgPoolUrl === url) return globalForPg.pgPool;
  globalForPg.pgPool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_RAW_POOL_SIZE ?? 10) });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects.
  globalForPg.pgPool.on('error', (error) => console.error(`[db] idle connection lost: ${error.message}`));
  globalForPg.pgPoolUrl = url;
  return globalForPg.pgPool;
}

export async function closePgPool(): Promise<void> {
  const pool = globalForPg.pgPool;
  globalForPg.pgPool = undefined;
  globalForPg.pgPoolUrl = undefined;
  if (pool) await pool.end();
}
