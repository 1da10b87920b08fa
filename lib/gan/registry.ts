import { createHash } from 'node:crypto';
import type { Prisma } from '@/lib/generated/prisma/client';
import { audit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { buildCheckpointModel, readCheckpointZip, type CheckpointContents, type LoadedCheckpoint } from './checkpoint';
import { CheckpointError } from './errors';
import { loadCheckpoint } from './load';
import type { ZipLimits } from './zip';

/**
 * The checkpoint registry: uploaded zips are checked (files, manifest, model built, one image generated),
 * kept whole in Postgres (CheckpointBlob) and described by a Checkpoint row; registering is audited.
 */
export function checkpointZipLimits(): ZipLimits {
  const max = getConfig().GAN_MAX_CHECKPOINT_BYTES;
  return { maxZipBytes: max, maxEntries: 64, maxUnpackedBytes: 2 * max };
}

export type CheckpointSummary = {
  id: string;
  name: string;
  modality: string;
  resolution: number;
  latentDim: number;
  labels: string[];
  sha256: string;
  byteSize: number;
  createdAt: string;
  batches: number;
  images: number;
  manifest: Record<string, unknown>;
};

export type RegisterResult = { checkpoint: CheckpointSummary; isNew: boolean; check: { ms: number; mean: number } | null };

export async function registerCheckpoint(zipBytes: Uint8Array, options: { actorId: string | null; source?: string }): Promise<RegisterResult> {
  const config = getConfig();
  const prisma = getPrisma();
  // The files are checked and hashed first: a checkpoint already registered is answered without building it.
  const contents = await readCheckpointZip(zipBytes, checkpointZipLimits());
  const existing = await prisma.checkpoint.findUnique({ where: { sha256: contents.sha256 } });
  if (existing) return { checkpoint: await summary(existing.id), isNew: false, check: null };
  const loaded = await loadCheckpoint(zipBytes, { backend: config.GAN_BACKEND, limits: checkpointZipLimits() });
  loaded.dispose();
  const storageKey = `pg:${createHash('sha256').update(zipBytes).digest('hex')}`;
  const { manifest } = loaded;
  const created = await prisma.$transaction(async (tx) => {
    await tx.checkpointBlob.upsert({ where: { storageKey }, create: { storageKey, bytes: Buffer.from(zipBytes) as unknown as Uint8Array<ArrayBuffer> }, update: {} });
    const row = await tx.checkpoint.create({
      data: {
        name: manifest.name,
        modality: manifest.modality,
        resolution: manifest.resolution,
        latentDim: manifest.latentDim,
        labels: manifest.labels,
        sha256: loaded.sha256,
        storageKey,
        byteSize: zipBytes.length,
        manifest: manifest as Prisma.InputJsonValue,
        createdById: options.actorId,
      },
    });
    await audit(
      {
        actorId: options.actorId,
        action: 'checkpoint.register',
        targetType: 'Checkpoint',
        targetId: row.id,
        after: { name: row.name, modality: row.modality, resolution: row.resolution, sha256: row.sha256, byteSize: row.byteSize, source: options.source ?? 'upload', checkMs: loaded.check.ms },
      },
      tx,
    );
    return row;
  });
  return { checkpoint: await summary(created.id), isNew: true, check: loaded.check };
}

export async function listCheckpoints(): Promise<CheckpointSummary[]> {
  const rows = await getPrisma().checkpoint.findMany({ orderBy: { createdAt: 'desc' }, select: { id: true } });
  return Promise.all(rows.map((r) => summary(r.id)));
}

export async function summary(id: string): Promise<CheckpointSummary> {
  const prisma = getPrisma();
  const row = await prisma.checkpoint.findUniqueOrThrow({ where: { id } });
  const [batches, images] = await Promise.all([
    prisma.batch.count({ where: { checkpointId: id } }),
    prisma.image.count({ where: { batch: { checkpointId: id } } }),
  ]);
  return {
    id: row.id,
    name: row.name,
    modality: row.modality,
    resolution: row.resolution,
    latentDim: row.latentDim,
    labels: row.labels,
    sha256: row.sha256,
    byteSize: row.byteSize,
    createdAt: row.createdAt.toISOString(),
    batches,
    images,
    manifest: row.manifest as Record<string, unknown>,
  };
}

/** The stored checkpoint's files, read back from its zip. */
export async function checkpointContents(id: string): Promise<CheckpointContents & { id: string }> {
  const prisma = getPrisma();
  const row = await prisma.checkpoint.findUnique({ where: { id } });
  if (!row) throw new CheckpointError('BAD_REQUEST', `there is no checkpoint ${id}`);
  const blob = await prisma.checkpointBlob.findUnique({ where: { storageKey: row.storageKey } });
  if (!blob) throw new CheckpointError('MISSING_FILE', `checkpoint ${row.name} has no stored zip (${row.storageKey})`);
  return { ...(await readCheckpointZip(new Uint8Array(blob.bytes), checkpointZipLimits())), id };
}

// One built model per process and backend, reused by later jobs of the same checkpoint.
const cache = new Map<string, Promise<LoadedCheckpoint>>();
const CACHE_SIZE = 2;

export async function loadRegisteredCheckpoint(id: string): Promise<LoadedCheckpoint & { id: string }> {
  const backend = getConfig().GAN_BACKEND;
  const key = `${id}:${backend}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = checkpointContents(id).then((contents) => buildCheckpointModel(contents, backend));
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
    while (cache.size > CACHE_SIZE) {
      const [oldestKey, oldest] = cache.entries().next().value!;
      cache.delete(oldestKey);
      void oldest.then((c) => c.dispose()).catch(() => undefined);
    }
  }
  return { ...(await entry), id };
}
