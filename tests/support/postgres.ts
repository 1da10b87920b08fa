import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';

/**
 * A real PostgreSQL server for tests: TEST_PG_ADMIN_URL when set, else the machine's server on
 * 127.0.0.1:5432 when one answers, else an embedded server under .data/test-pg. Each run gets
 * throwaway databases that are dropped afterwards.
 */
export type TestServer = { adminUrl: string; stop: () => Promise<void>; description: string };

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startTestServer(): Promise<TestServer> {
  const configured = process.env.TEST_PG_ADMIN_URL;
  if (configured) return { adminUrl: configured, stop: async () => undefined, description: 'TEST_PG_ADMIN_URL' };
  const local = 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (await canConnect(local)) return { adminUrl: local, stop: async () => undefined, description: 'local PostgreSQL on 127.0.0.1:5432' };
  const embedded = await startEmbeddedPostgres({ dataDir: path.resolve('.data', 'test-pg'), port: Number(process.env.TEST_PG_PORT ?? 54339) });
  const adminUrl = embedded.url.replace(/\/[^/]+$/, '/postgres');
  return { adminUrl, stop: embedded.stop, description: 'embedded PostgreSQL 17' };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function uniqueDatabaseName(purpose: string): string {
  return `rs_test_${purpose}_${process.pid}_${Date.now().toString(36)}`;
}

/**
 * For an integration test file that needs a database of its own (e.g. one that asserts what a first
 * import creates): a fresh database on the test server for the file, migrated, dropped afterwards.
 */
export async function useFreshDatabase(purpose: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error('TEST_PG_ADMIN_URL is not set (run through npm test or the integration project).');
  const name = uniqueDatabaseName(purpose);
  const url = await createDatabase(adminUrl, name);
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
