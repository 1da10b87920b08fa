import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { MANIFEST_FILE, MODEL_FILE, parseModelJson, registerCheckpoint, zipFiles, type GenerationJobResult } from '@/lib/gan';
import { targetPool } from '@/lib/gan/target-pool';
import { createJob, dispatchJob, ganGenerationKind, memorisationCheckKind, radiomicsDistanceKind, type MemorisationCheckResult, type RadiomicsDistanceResult } from '@/lib/jobs';
import { startWorker } from '@/lib/jobs/worker';
import { describeDistances } from './demo-radiomics';

/**
 * The demo generators shipped in checkpoints/demo-* (trained on MedNIST less its held-out split; see each
 * folder's README.md): registered at start; their generation jobs make the synthetic class of the demo studies.
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

/** What the demo generators make for the demo studies: images per generator, and the job's seed. */
export const DEMO_GENERATION = { count: 100, seed: 20261127 };

export function demoGenerationJobId(checkpointName: string): string {
  return `demo-gan-${checkpointName}`;
}

/**
 * Queues one generation job per demo checkpoint (the job an admin starts from the checkpoints page, with a
 * fixed id so that the next start finds it): its images go into the pool of the checkpoint's modality and
 * size, which must already hold real images (the held-out pools, demo-held-out.ts). Returns the jobs' ids.
 */
export async function queueDemoGeneration(checkpointIds: Map<string, string>, log: (line: string) => void): Promise<string[]> {
  const prisma = getPrisma();
  const jobIds: string[] = [];
  for (const [name, checkpointId] of checkpointIds) {
    const checkpoint = await prisma.checkpoint.findUniqueOrThrow({ where: { id: checkpointId } });
    const target = await targetPool(checkpoint);
    if (target.warning) {
      log(`The demo checkpoint ${name} generates nothing: ${target.warning.split('. ')[0]}.`);
      continue;
    }
    const id = demoGenerationJobId(name);
    const existing = await prisma.job.findUnique({ where: { id } });
    const job = existing ?? (await createJob(ganGenerationKind.kind, { checkpointId, count: DEMO_GENERATION.count, seed: DEMO_GENERATION.seed }, { id }));
    if (job.status === 'QUEUED') await dispatchJob(job);
    jobIds.push(id);
  }
  return jobIds;
}

export type DemoJobOutcome = { jobId: string; poolKey: string | null; ok: boolean; summary: string };

const SETTLED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Runs the demo generation jobs, and the memorisation checks and Fréchet Radiomics Distances their batches queue,
 * on a worker in this process (only those three kinds), and waits until each has settled. A job that failed says
 * why; a distance that failed is reported and does not stop the demo (it describes the generator, it gates nothing).
 */
export async function runDemoGeneration(jobIds: string[], log: (line: string) => void, timeoutMs = 10 * 60_000): Promise<DemoJobOutcome[]> {
  if (jobIds.length === 0) return [];
  const prisma = getPrisma();
  const worker = await startWorker({ kinds: [ganGenerationKind.kind, memorisationCheckKind.kind, radiomicsDistanceKind.kind], log: () => undefined });
  const started = new Date();
  const deadline = Date.now() + timeoutMs;
  const outcomes: DemoJobOutcome[] = [];
  try {
    const settled = async (id: string) => {
      for (;;) {
        const job = await prisma.job.findUniqueOrThrow({ where: { id } });
        if (SETTLED.has(job.status)) return job;
        if (Date.now() > deadline) throw new Error(`the ${job.kind} job ${id} did not finish within ${timeoutMs / 1000} s (${job.message ?? job.status})`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    for (const jobId of jobIds) {
      const generation = await settled(jobId);
      const result = generation.result as Partial<GenerationJobResult> | null;
      if (generation.status !== 'SUCCEEDED' || !result?.batchId) {
        outcomes.push({ jobId, poolKey: null, ok: false, summary: `generation job ${jobId} ${generation.status.toLowerCase()}: ${generation.error ?? 'no batch'}` });
        continue;
      }
      if (generation.finishedAt && generation.finishedAt >= started) log(`Generated ${result.imported} synthetic images in pool ${result.poolKey} with the generation job ${jobId} (${(result.imagesPerSecond ?? 0).toFixed(0)} images/s, ${result.backend}).`);
      // The batch's memorisation check (queued with it; a re-run from the admin page makes a newer one).
      const check = await prisma.job.findFirst({ where: { kind: memorisationCheckKind.kind, batchId: result.batchId }, orderBy: { createdAt: 'desc' } });
      if (!check) {
        outcomes.push({ jobId, poolKey: result.poolKey ?? null, ok: false, summary: `the batch of ${jobId} has no memorisation check` });
        continue;
      }
      const checked = await settled(check.id);
      const verdict = checked.result as Partial<MemorisationCheckResult> | null;
      if (checked.status !== 'SUCCEEDED') {
        outcomes.push({ jobId, poolKey: result.poolKey ?? null, ok: false, summary: `the memorisation check of ${result.poolKey} ${checked.status.toLowerCase()}: ${checked.error ?? ''}` });
        continue;
      }
      if (verdict?.checked) {
        log(
          `Memorisation check of ${result.poolKey}: ${verdict.checked} images against ${verdict.realImages} real and ${verdict.trainingImages} training images, ` +
            `${verdict.quarantined} quarantined (highest Pearson r ${verdict.maxSimilarity?.toFixed(3) ?? 'n/a'}).`,
        );
      }
      // The batch's distance (queued with it), so that the pool and checkpoint pages show one from the start.
      const distance = await prisma.job.findFirst({ where: { kind: radiomicsDistanceKind.kind, batchId: result.batchId }, orderBy: { createdAt: 'desc' } });
      if (distance) {
        const measured = await settled(distance.id);
        const frd = measured.result as Partial<RadiomicsDistanceResult> | null;
        if (measured.status !== 'SUCCEEDED') log(`The Fréchet Radiomics Distance of ${result.poolKey} ${measured.status.toLowerCase()}: ${measured.error ?? ''}`);
        else if (measured.finishedAt && measured.finishedAt >= started) describeDistances(frd ?? {}).forEach((line) => log(line));
      }
      outcomes.push({ jobId, poolKey: result.poolKey ?? null, ok: true, summary: 'generated and checked' });
    }
  } finally {
    await worker.stop();
  }
  return outcomes;
}
