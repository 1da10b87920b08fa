import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, startTestServer, uniqueDatabaseName } from '../support/postgres';

/**
 * One throwaway database for the integration run, on a real Postgres (see tests/support/postgres.ts).
 * `npm test` passes TEST_PG_ADMIN_URL; run alone, this finds or starts a server itself.
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
