import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { PgImageStore } from '@/lib/db/image-store';
import { processImage } from '@/lib/images';
import { importBatch, ImportRejected } from '@/lib/pools/import';
import { importFolder } from '@/lib/pools/folder';
import { deleteImage } from '@/lib/pools/images';
import { corruptPng, emptyFile, greyPng, truncatedDicom } from '@/scripts/make-image-fixtures';
import { useFreshDatabase } from '../support/postgres';
import { sharedDataDir } from '../support/shared-data';

async function counts() {
  const prisma = getPrisma();
  const [images, blobs, batches, pools] = await Promise.all([prisma.image.count(), prisma.imageBlob.count(), prisma.batch.count(), prisma.pool.count()]);
  return { images, blobs, batches, pools };
}

function read(...parts: string[]): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(sharedDataDir(), ...parts)));
}

describe('import through the image pipeline into Postgres', () => {
  // A database of its own: these tests assert what a first import of the demo folder creates.
  let database: Awaited<ReturnType<typeof useFreshDatabase>>;
  beforeAll(async () => {
    database = await useFreshDatabase('import');
    process.env.DATABASE_URL = database.url;
    await applyMigrations(database.url);
  });
  afterAll(async () => {
    await disconnectPrisma();
    await database.drop();
  });

  it('imports the demo head CT folder with labels, one batch, canonical bytes stored in bytea', async () => {
    const dir = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
    const result = await importFolder({ dir, modality: 'CT_HEAD', origin: 'REAL', labelsCsv: path.join(dir, 'labels.csv') });
    expect(result.imported).toBe(100);
    expect(result.poolKey).toBe('CT_HEAD-64');
    const prisma = getPrisma();
    const images = await prisma.image.findMany({ where: { batchId: result.batchId } });
    expect(images).toHaveLength(100);
    const sample = images.find((i) => i.sourceName === 'headct_000233.png')!;
    const expected = processImage(read('demo', 'headct-mednist-64', 'headct_000233.png'), { modality: 'CT_HEAD', width: 64, height: 64, bitDepth: 8 });
    expect(sample.sha256).toBe(expected.sha256);
    const stored = await new PgImageStore().get(sample.storageKey);
    expect(Buffer.from(stored!).equals(Buffer.from(expected.bytes))).toBe(true);
  });

  it('gives the same hashes on a second run and stores nothing twice', async () => {
    const dir = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
    const before = await counts();
    const again = await importFolder({ dir, modality: 'CT_HEAD', origin: 'REAL' });
    expect(again.imported).toBe(0);
    expect(again.duplicates).toHaveLength(100);
    const after = await counts();
    expect(after.images).toBe(before.images);
    expect(after.blobs).toBe(before.blobs);
  });

  it('imports real DICOM: a 16-bit CT in Hounsfield units and a JPEG-baseline chest radiograph', async () => {
    const ct = await importBatch({ files: [{ name: 'brain.dcm', bytes: read('dicom', 'barre_CT-MONO2-16-brain.dcm') }], modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT' });
    expect(ct.poolKey).toBe('CT_HEAD-512-16bit');
    const pool = await getPrisma().pool.findUniqueOrThrow({ where: { key: ct.poolKey } });
    expect(pool.bitDepth).toBe(16);
    expect(pool.huOffset).toBe(1024);
    const cxr = await importBatch({ files: [{ name: 'cxr.dcm', bytes: read('dicom', 'txrv_rsna_pneumonia_cxr.dcm') }], modality: 'CXR', origin: 'REAL', kind: 'IMPORT' });
    expect(cxr.poolKey).toBe('CXR-1024');
    expect(cxr.imported).toBe(1);
  });

  it.each([
    ['a corrupt PNG', 'broken.png', () => corruptPng(), /CRC|corrupt/i],
    ['a truncated DICOM', 'cut.dcm', () => truncatedDicom(read('dicom', 'pydicom_CT_small.dcm')), /truncated|cut short/i],
    ['a 0-byte file', 'empty.png', () => emptyFile(), /empty|0 bytes/i],
  ])('refuses %s with a clear message and stores nothing of the batch', async (_label, name, build, message) => {
    const before = await counts();
    const good = { name: 'good.png', bytes: greyPng(64, 64) };
    const error = await importBatch({ files: [good, { name, bytes: build() }], modality: 'CT_HEAD', origin: 'SYNTHETIC', kind: 'IMPORT', poolKey: 'CT_HEAD-64' }).catch((e) => e);
    expect(error).toBeInstanceOf(ImportRejected);
    const problems = (error as ImportRejected).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe(name);
    expect(problems[0].problem).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it('deletes an image no study used, with its bytes, through the image store', async () => {
    const prisma = getPrisma();
    const image = await prisma.image.findFirstOrThrow({ where: { sourceName: 'headct_000233.png' } });
    const store = new PgImageStore();
    expect([...(await store.getMany([image.storageKey, 'pg:no-such-blob'])).keys()]).toEqual([image.storageKey]);
    const admin = await prisma.user.create({ data: { email: `delete-${Date.now()}@test.local`, name: 'Admin', role: 'ADMIN', passwordHash: 'x' } });
    await deleteImage(admin.id, image.id);
    expect(await prisma.image.findUnique({ where: { id: image.id } })).toBeNull();
    expect(await store.get(image.storageKey)).toBeNull();
  });
});
