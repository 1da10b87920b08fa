import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { readCheckpointZip, type CheckpointContents, type CheckpointZipLimits } from './contents';
import { CheckpointError } from './errors';

/**
 * The checkpoint registry: uploaded zips are checked (files, manifest, model built, one image generated),
 * kept whole in Postgres (CheckpointBlob) and described by a Checkpoint row; registering is audited.
 * This file reads the registry without TensorFlow.js (pages list checkpoints); registering, which builds
 * the model, is register.ts, and building a registered one for generation is load.ts.
 */
export function checkpointZipLimits(): CheckpointZipLimits {
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
