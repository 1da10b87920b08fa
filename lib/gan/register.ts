import { createHash } from 'node:crypto';
import type { Prisma } from '@/lib/generated/prisma/client';
import { audit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { processBackend } from './backend';
import { readCheckpointZip } from './contents';
import { loadCheckpoint } from './load';
import { checkpointZipLimits, summary, type CheckpointSummary } from './registry';

/**
 * Registers an uploaded checkpoint zip (files checked, model built, one image generated: this loads
 * TensorFlow.js) and stores it in the registry (registry.ts).
 */
export type RegisterResult = { checkpoint: CheckpointSummary; isNew: boolean; check: { ms: number; mean: number } | null };

export async function registerCheckpoint(zipBytes: Uint8Array, options: { actorId: string | null; source?: string }): Promise<RegisterResult> {
  const config = getConfig();
  const prisma = getPrisma();
  // The files are checked and hashed first: a checkpoint already registered is answered without building it.
  const contents = await readCheckpointZip(zipBytes, checkpointZipLimits());
  const existing = await prisma.checkpoint.findUnique({ where: { sha256: contents.sha256 } });
  if (existing) return { checkpoint: await summary(existing.id), isNew: false, check: null };
  const loaded = await loadCheckpoint(zipBytes, { backend: processBackend(config.GAN_BACKEND), limits: checkpointZipLimits() });
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
