import { decode, encode } from 'fast-png';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { importBatch } from '@/lib/pools/import';
import type { Modality } from '@/lib/images';

/**
 * Demo-only stand-ins for synthetic images until a generator is registered: each is the pixel-wise
 * average of two real demo images of the pool. Marked `isStandIn` and described in their provenance
 * (admin-only); they go through the same pipeline as every other image, so readers cannot tell.
 */
export const STAND_IN_SOURCE = 'demo:stand-ins';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedStandIns(poolKey: string, count: number, log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  const pool = await prisma.pool.findUnique({ where: { key: poolKey } });
  if (!pool) return;
  const source = `${STAND_IN_SOURCE}:${poolKey}`;
  if (await prisma.batch.findFirst({ where: { source, status: 'COMPLETE' } })) return;
  const reals = await prisma.image.findMany({ where: { poolId: pool.id, origin: 'REAL' }, orderBy: { sha256: 'asc' }, select: { storageKey: true } });
  if (reals.length < 2) return;
  const store = new PgImageStore();
  const pixels = await Promise.all(reals.map(async (r) => decode((await store.get(r.storageKey))!).data as Uint8Array));
  const random = mulberry32(20261126);
  const pairs = new Set<string>();
  while (pairs.size < Math.min(count, (pixels.length * (pixels.length - 1)) / 2)) {
    const i = Math.floor(random() * pixels.length);
    const j = Math.floor(random() * pixels.length);
    if (i !== j) pairs.add(i < j ? `${i}:${j}` : `${j}:${i}`);
  }
  const files = [...pairs].map((pair, index) => {
    const [a, b] = pair.split(':').map((i) => pixels[Number(i)]);
    const mixed = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i++) mixed[i] = (a[i] + b[i] + 1) >> 1;
    return { name: `stand-in-${String(index).padStart(3, '0')}.png`, bytes: encode({ width: pool.width, height: pool.height, data: mixed, channels: 1, depth: 8 }) };
  });
  const result = await importBatch({
    files,
    modality: pool.modality as Modality,
    origin: 'SYNTHETIC',
    kind: 'GENERATED',
    poolKey,
    source,
    isStandIn: true,
    provenance: () => ({ standIn: 'average of two real demo images; a placeholder until a generator is registered' }),
  });
  log(`Created ${result.imported} stand-in synthetic images in pool ${poolKey} (demo only).`);
}
