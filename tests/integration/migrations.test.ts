import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations } from '@/lib/db/migrations';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';

const adminUrl = process.env.TEST_PG_ADMIN_URL!;

describe('migrations on an empty database', () => {
  const name = uniqueDatabaseName('mig');
  let url: string;
  beforeAll(async () => {
    url = await createDatabase(adminUrl, name);
  });
  afterAll(async () => {
    await dropDatabase(adminUrl, name);
  });

  it('creates every table and records each migration like Prisma does', async () => {
    const first = await applyMigrations(url);
    const expected = listMigrations().map((m) => m.name);
    expect(expected.length).toBeGreaterThan(0);
    expect(first.applied).toEqual(expected);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      const names = tables.rows.map((r) => r.tablename);
      for (const table of ['User', 'Image', 'ImageBlob', 'Batch', 'Pool', 'Study', 'Assignment', 'AssignmentItem', 'Response', 'Job', 'AuditEvent', '_prisma_migrations']) {
        expect(names).toContain(table);
      }
      const rows = await client.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.rows.map((r) => r.migration_name)).toEqual(expected);
      for (const [i, row] of rows.rows.entries()) {
        expect(row.checksum).toBe(listMigrations()[i].checksum);
        expect(row.finished_at).not.toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await client.end();
    }

    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(expected);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = $1`, [listMigrations()[0].name]);
    await client.end();
    await expect(applyMigrations(url)).rejects.toThrow(/was edited after it was applied/);
  });
});
