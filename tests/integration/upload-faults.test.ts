import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { stopBoss } from '@/lib/jobs';
import { handleBatchUpload } from '@/lib/uploads';
import { buildZip } from '@/scripts/lib/zip-builders';
import { variantPng } from '@/scripts/make-image-fixtures';
import { adminUser, storedCounts, uploadRequest, uploadOutcome } from '../support/uploads';

/**
 * Disk and database errors in the middle of an upload: the batch is one transaction, so whatever was
 * written before the failure is rolled back, and the temporary file is removed.
 */
let adminId: string;

async function zipOf(seeds: number[]) {
  return buildZip(seeds.map((seed) => ({ name: `image-${seed}.png`, bytes: variantPng(seed, 48, 48) })));
}

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  adminId = await adminUser();
});

afterAll(async () => {
  await getPrisma().$executeRawUnsafe('DROP TRIGGER IF EXISTS simulated_failure ON "Image"');
  await stopBoss();
});

describe('faults during an upload leave nothing partial', () => {
  it('a database error after the blobs were written (disk full on the Image insert) rolls the whole batch back', async () => {
    const prisma = getPrisma();
    await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION simulated_disk_full() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe('CREATE TRIGGER simulated_failure BEFORE INSERT ON "Image" FOR EACH ROW EXECUTE FUNCTION simulated_disk_full()');
    const before = await storedCounts();
    const upload = { fileName: 'batch.zip', bytes: await zipOf([101, 102, 103]), modality: 'CT_HEAD' as const, origin: 'REAL' as const, newPool: 'CT_HEAD-48' };
    await expect(handleBatchUpload(await uploadRequest(upload), adminId)).rejects.toThrow(/No space left on device/);
    expect(await storedCounts()).toEqual(before);

    await prisma.$executeRawUnsafe('DROP TRIGGER simulated_failure ON "Image"');
    const retry = await uploadOutcome(handleBatchUpload(await uploadRequest(upload), adminId));
    expect(retry.status).toBe(201);
    expect((await storedCounts()).images).toBe(before.images + 3);
  });

  it('a disk error while receiving the upload stores nothing', async () => {
    const before = await storedCounts();
    const upload = { fileName: 'batch.zip', bytes: await zipOf([201, 202]), modality: 'CT_HEAD' as const, origin: 'REAL' as const, newPool: 'CT_HEAD-48' };
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = path.join('/nonexistent-dir-for-test', String(process.pid));
    try {
      const outcome = await uploadOutcome(handleBatchUpload(await uploadRequest(upload), adminId));
      expect(outcome.status).toBe(500);
      expect('error' in outcome.body && outcome.body.error).toMatch(/Could not keep the upload/);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    expect(await storedCounts()).toEqual(before);
  });
});
