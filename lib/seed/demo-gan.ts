import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { MANIFEST_FILE, MODEL_FILE, parseModelJson, registerCheckpoint, runGenerationJob, zipFiles } from '@/lib/gan';

/**
 * The demo generators shipped in checkpoints/demo-* (trained with scripts/gan/train.py on MedNIST; see each
 * folder's README.md): registered at start, and used for the demo pools' synthetic images in place of the
 * stand-ins where the pool's size matches.
 */
export const DEMO_CHECKPOINTS_DIR = 'checkpoints';

export function demoCheckpointFolders(): string[] {
  const root = path.join(projectRoot(), DEMO_CHECKPOINTS_DIR);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((name) => name.startsWith('demo-') && fs.existsSync(path.join(root, name, MANIFEST_FILE)))
    .sort()
    .map((name) => path.join(root, name));
}

/** A checkpoint folder as the zip an admin would upload: checkpoint.json, model.json and its shards. */
export async function zipCheckpointFolder(folder: string): Promise<Uint8Array> {
  const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(folder, name)));
  const model = read(MODEL_FILE);
  const shards = parseModelJson(model).weightsManifest.flatMap((g) => g.paths);
  return zipFiles({ [MANIFEST_FILE]: read(MANIFEST_FILE), [MODEL_FILE]: model, ...Object.fromEntries(shards.map((s) => [s, read(s)])) });
}

/** Registers every demo checkpoint not registered yet; returns their ids by name. */
export async function seedDemoCheckpoints(log: (line: string) => void): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const folder of demoCheckpointFolders()) {
    const result = await registerCheckpoint(await zipCheckpointFolder(folder), { actorId: null, source: `demo:${path.basename(folder)}` });
    if (result.isNew) log(`Registered the demo GAN checkpoint ${result.checkpoint.name} (${result.checkpoint.modality} ${result.checkpoint.resolution}×${result.checkpoint.resolution}).`);
    ids.set(result.checkpoint.name, result.checkpoint.id);
  }
  return ids;
}

/**
 * `count` synthetic images in `poolKey` from the named demo checkpoint, once: a Job row with a fixed id
 * records it, and the generation job itself is idempotent (lib/gan/generation-job.ts). Returns false
 * when the checkpoint or the pool is missing (the caller falls back to stand-ins).
 */
export async function seedDemoSynthetic(poolKey: string, checkpointName: string, count: number, log: (line: string) => void): Promise<boolean> {
  const prisma = getPrisma();
  const [pool, checkpoint] = await Promise.all([
    prisma.pool.findUnique({ where: { key: poolKey } }),
    prisma.checkpoint.findFirst({ where: { name: checkpointName }, orderBy: { createdAt: 'asc' } }),
  ]);
  if (!pool || !checkpoint || checkpoint.modality !== pool.modality || checkpoint.resolution !== pool.width || pool.bitDepth !== 8) return false;
  const jobId = `demo-gan-${poolKey}`;
  const existing = await prisma.job.findUnique({ where: { id: jobId } });
  if (existing?.status === 'SUCCEEDED') return true;
  const params = { checkpointId: checkpoint.id, count, seed: 20261127 };
  // Run in-process at seed time (not queued): the row only records it; its queue id is never sent to pg-boss.
  if (!existing) await prisma.job.create({ data: { id: jobId, kind: 'gan-generation', params, status: 'RUNNING', startedAt: new Date(), queueJobId: crypto.randomUUID() } });
  const result = await runGenerationJob(params, { jobId, reportProgress: async () => undefined, isCancelled: () => false });
  await prisma.job.update({ where: { id: jobId }, data: { status: 'SUCCEEDED', progress: 1, result, finishedAt: new Date() } });
  log(`Generated ${result.imported} synthetic images in pool ${poolKey} with the demo checkpoint ${checkpointName} (${result.imagesPerSecond.toFixed(0)} images/s, ${result.backend}).`);
  return true;
}
