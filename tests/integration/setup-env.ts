import crypto from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { disconnectPrisma } from '@/lib/db/client';
import { createDatabase, dropDatabase } from '../support/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// One throwaway database per test file (on the run's server, see global-setup.ts): a file never sees
// another file's rows, so the outcome does not depend on the order vitest picks (it reorders files by
// past durations and failures, e.g. answers.test.ts importing the demo CT folder before import.test.ts).
const adminUrl = process.env.TEST_PG_ADMIN_URL ?? new URL('/postgres', inject('databaseUrl')).toString();
const name = `rs_test_file_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
process.env.DATABASE_URL = await createDatabase(adminUrl, name);
process.env.DATA_DIR ??= '.data/test';

afterAll(async () => {
  await disconnectPrisma();
  await dropDatabase(adminUrl, name);
});
