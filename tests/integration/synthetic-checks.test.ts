import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { importFolder } from '@/lib/pools/folder';
import { seedStandIns, STAND_IN_SOURCE } from '@/lib/seed/stand-ins';
import { sharedDataDir } from '../support/shared-data';

/** Whatever makes a synthetic batch, its memorisation check is queued with it (in the same transaction). */
async function checksFor(batchId: string) {
  return getPrisma().job.findMany({ where: { batchId, kind: 'memorisation-check' }, select: { status: true } });
}

describe('every synthetic batch queues the memorisation check', () => {
  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    await importFolder({ dir: path.join(sharedDataDir(), 'demo', 'headct-mednist-64'), modality: 'CT_HEAD', origin: 'REAL', source: 'checks-test' });
  }, 120_000);

  it('a real batch queues none', async () => {
    const batch = await getPrisma().batch.findFirstOrThrow({ where: { source: 'checks-test' } });
    expect(await checksFor(batch.id)).toEqual([]);
  });

  it('npm run import of a synthetic folder (importFolder) queues one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synthetic-'));
    const demo = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
    // Three real demo files flipped upside down stand in for generated images (new bytes, same encoding).
    for (const name of fs.readdirSync(demo).filter((f) => f.endsWith('.png')).slice(0, 3)) {
      const image = decodePng(fs.readFileSync(path.join(demo, name)));
      const pixels = image.data as Uint8Array;
      const flipped = new Uint8Array(pixels.length);
      for (let y = 0; y < image.height; y++) flipped.set(pixels.subarray(y * image.width, (y + 1) * image.width), (image.height - 1 - y) * image.width);
      fs.writeFileSync(path.join(dir, name), encodePng({ width: image.width, height: image.height, depth: 8, channels: 1, data: flipped }));
    }
    const result = await importFolder({ dir, modality: 'CT_HEAD', origin: 'SYNTHETIC', source: 'checks-synthetic' });
    expect(result.imported).toBe(3);
    expect(await checksFor(result.batchId)).toEqual([{ status: 'QUEUED' }]);
  });

  it("npm start's demo stand-ins queue one", async () => {
    await seedStandIns('CT_HEAD-64', 4, () => undefined);
    const batch = await getPrisma().batch.findFirstOrThrow({ where: { source: `${STAND_IN_SOURCE}:CT_HEAD-64` } });
    expect(await checksFor(batch.id)).toEqual([{ status: 'QUEUED' }]);
  });
});
