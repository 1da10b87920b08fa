import { getPrisma } from '@/lib/db/client';
import { getPgPool } from '@/lib/db/pg';
import { PgImageStore } from '@/lib/db/image-store';
import { decode, encodeCanonical, RESAMPLE_FILTER, resampleArea } from '@/lib/images';
import { importBatch, type ImportFile } from './import';

/**
 * Rungs of a resolution ladder as pools of derived images: every eligible image of a pool, real and
 * synthetic alike, is decoded from its canonical bytes, resampled by area averaging (lib/images
 * resampleArea, the one stated filter) and put through the same import pipeline as any image into
 * the pool `<pool key>@<size>`, with provenance { derivedFrom, parentSha256, filter, width, height }.
 * A derived image carries its parent's labels, patient key and memorisation verdict. Idempotent:
 * parents already derived at a size are skipped, so a ladder's rungs are made once and reused.
 */
export interface Rung {
  size: number;
  poolId: string;
  /** Parent image id → the image shown at this rung (the parent itself at the pool's own size). */
  byParent: Map<string, string>;
}

export function rungPoolKey(baseKey: string, size: number): string {
  return `${baseKey}@${size}`;
}

export async function deriveRung(basePoolId: string, size: number): Promise<Rung> {
  const prisma = getPrisma();
  const base = await prisma.pool.findUniqueOrThrow({ where: { id: basePoolId } });
  const parents = await prisma.image.findMany({
    where: { poolId: basePoolId, isRetired: false },
    select: { id: true, origin: true, sha256: true, storageKey: true },
    orderBy: { id: 'asc' },
  });
  if (size === base.width) return { size, poolId: base.id, byParent: new Map(parents.map((p) => [p.id, p.id])) };
  const width = size;
  const height = Math.max(1, Math.round((size * base.height) / base.width));
  const key = rungPoolKey(base.key, size);
  const pool =
    (await prisma.pool.findUnique({ where: { key } })) ??
    (await prisma.pool.create({
      data: { key, modality: base.modality, width, height, bitDepth: base.bitDepth, huOffset: base.huOffset, labelVocabulary: base.labelVocabulary },
    }));
  const done = await derivedByParent(pool.id);
  const store = new PgImageStore();
  for (const origin of ['REAL', 'SYNTHETIC'] as const) {
    const todo = parents.filter((p) => p.origin === origin && !done.has(p.id));
    if (todo.length === 0) continue;
    const files: ImportFile[] = [];
    const parentSha = new Map<string, string>();
    for (const parent of todo) {
      const bytes = await store.get(parent.storageKey);
      if (!bytes) throw new Error(`deriveRung: the bytes of image ${parent.id} are missing from the store`);
      const image = decode(bytes);
      const pixels = resampleArea(image.pixels as Uint8Array | Uint16Array, image.width, image.height, width, height);
      files.push({ name: parent.id, bytes: encodeCanonical(pixels, width, height, base.bitDepth as 8 | 16) });
      parentSha.set(parent.id, parent.sha256);
    }
    await importBatch({
      files,
      modality: base.modality,
      origin,
      kind: 'IMPORT',
      poolKey: key,
      source: `resolution ladder: ${base.key} → ${width}×${height} (${RESAMPLE_FILTER})`,
      provenance: (file) => ({ derivedFrom: file.name, parentSha256: parentSha.get(file.name), filter: RESAMPLE_FILTER, width, height }),
    });
  }
  // Labels, patient key and the memorisation verdict are the parent's.
  await getPgPool().query(
    `UPDATE "Image" d SET labels = p.labels, "patientKey" = p."patientKey", "similarityCheckedAt" = p."similarityCheckedAt",
            "nearestRealSimilarity" = p."nearestRealSimilarity", "isQuarantined" = p."isQuarantined", "isRetired" = p."isRetired"
       FROM "Image" p WHERE d."poolId" = $1 AND p.id = d.provenance->>'derivedFrom'`,
    [pool.id],
  );
  return { size, poolId: pool.id, byParent: await derivedByParent(pool.id) };
}

async function derivedByParent(poolId: string): Promise<Map<string, string>> {
  const { rows } = await getPgPool().query<{ id: string; parent: string }>(
    `SELECT id, provenance->>'derivedFrom' AS parent FROM "Image" WHERE "poolId" = $1 AND provenance ? 'derivedFrom'`,
    [poolId],
  );
  return new Map(rows.map((r) => [r.parent, r.id]));
}
