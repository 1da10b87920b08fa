import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../support/postgres';

/**
 * The Postgres server for the integration run (see tests/support/postgres.ts), and one throwaway database
 * on it; each test file then works in a database of its own (setup-env.ts). `npm test` passes
 * TEST_PG_ADMIN_URL; run alone, this finds or starts a server itself.
 */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const name = uniqueDatabaseName('int');
  const url = await createDatabase(server.adminUrl, name);
  process.env.DATABASE_URL = url;
  process.env.TEST_PG_ADMIN_URL = server.adminUrl;
  project.provide('databaseUrl', url);
  return async () => {
    await dropDatabase(server.adminUrl, name);
    await server.stop();
  };
}
