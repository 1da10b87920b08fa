import { decode } from 'fast-png';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { importBatch } from '@/lib/pools/import';
import type { Modality } from '@/lib/images';
import { makeStandIn } from './stand-in-image';
import { uniformFromSeed } from '@/lib/studies/rng';

/**
 * Demo-only stand-ins for synthetic images until a generator is registered: each blends two real
 * demo images of the pool and is matched to the first on size and histogram (stand-in-image.ts), so
 * the demo study passes the leak audit. Marked `isStandIn` and described in their provenance
 * (admin-only); they go through the same pipeline as every other image, so readers cannot tell.
 */
export const STAND_IN_SOURCE = 'demo:stand-ins';

export async function seedStandIns(poolKey: string, count: number, log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  const pool = await prisma.pool.findUnique({ where: { key: poolKey } });
  if (!pool) return;
  if (pool.bitDepth !== 8) {
    log(`Stand-ins are made for 8-bit pools only; ${poolKey} is ${pool.bitDepth}-bit, skipped.`);
    return;
  }
  const source = `${STAND_IN_SOURCE}:${poolKey}`;
  if (await prisma.batch.findFirst({ where: { source, status: 'COMPLETE' } })) return;
  const reals = await prisma.image.findMany({ where: { poolId: pool.id, origin: 'REAL' }, orderBy: { sha256: 'asc' }, select: { storageKey: true } });
  if (reals.length < 2) return;
  const store = new PgImageStore();
  const pixels = await Promise.all(reals.map(async (r) => decode((await store.get(r.storageKey))!).data as Uint8Array));
  const random = uniformFromSeed(20261126);
  const gaussian = () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  // Each real image is the first parent (whose size and histogram the stand-in takes) at most once per round.
  const files = Array.from({ length: count }, (_, index) => {
    const first = index % pixels.length;
    let second = Math.floor(random() * (pixels.length - 1));
    if (second >= first) second++;
    const bytes = makeStandIn(pixels[first], pixels[second], pool.width, pool.height, gaussian);
    return { name: `stand-in-${String(index).padStart(3, '0')}.png`, bytes };
  });
  const result = await importBatch({
    files,
    modality: pool.modality as Modality,
    origin: 'SYNTHETIC',
    kind: 'GENERATED',
    poolKey,
    source,
    isStandIn: true,
    provenance: () => ({ standIn: 'blend of two real demo images, matched in size and histogram to the first; a placeholder until a generator is registered' }),
  });
  log(`Created ${result.imported} stand-in synthetic images in pool ${poolKey} (demo only).`);
}
