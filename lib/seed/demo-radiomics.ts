import crypto from 'node:crypto';
import { getPrisma } from '@/lib/db/client';
import type { RadiomicsDistanceParams, RadiomicsDistanceResult } from '@/lib/jobs';
import { radiomicsDistance } from '@/lib/jobs/handlers/radiomics-distance';

/**
 * The Fréchet Radiomics Distance of a demo synthetic set that has none stored yet (a demo database from before
 * the distance existed: the demo's generation jobs queue one per batch, which runDemoGeneration runs). One job per
 * synthetic batch, as a landed batch queues it (the batch's pool and checkpoint, which in the demo hold the same
 * images: the job measures them once), only where the pool or the checkpoint lacks a distance. Run in-process like
 * the demo generation; a Job row with a fixed id records each.
 */
export async function seedDemoRadiomics(log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  const [batches, stored] = await Promise.all([
    prisma.batch.findMany({
      where: { origin: 'SYNTHETIC', images: { some: { isRetired: false } } },
      select: { id: true, poolId: true, checkpointId: true },
      orderBy: { createdAt: 'asc' },
    }),
    prisma.radiomicsDistance.findMany({ select: { poolId: true, checkpointId: true } }),
  ]);
  const covered = new Set(stored.map((d) => (d.poolId ? `pool ${d.poolId}` : `checkpoint ${d.checkpointId}`)));
  for (const batch of batches) {
    const subjects = [`pool ${batch.poolId}`, ...(batch.checkpointId ? [`checkpoint ${batch.checkpointId}`] : [])];
    if (subjects.every((s) => covered.has(s))) continue;
    subjects.forEach((s) => covered.add(s));
    const jobId = `demo-radiomics-batch-${batch.id}`;
    const params: RadiomicsDistanceParams = { batchId: batch.id };
    const existing = await prisma.job.findUnique({ where: { id: jobId } });
    if (existing?.status === 'SUCCEEDED') continue;
    const row =
      existing ??
      (await prisma.job.create({ data: { id: jobId, kind: radiomicsDistance.kind, params, batchId: batch.id, status: 'RUNNING', startedAt: new Date(), queueJobId: crypto.randomUUID() } }));
    const result = await radiomicsDistance.run({
      jobId,
      params,
      attempt: 1,
      createdAt: row.createdAt,
      signal: new AbortController().signal,
      progress: async () => undefined,
    });
    await prisma.job.update({ where: { id: jobId }, data: { status: 'SUCCEEDED', progress: 1, result, finishedAt: new Date() } });
    describeDistances(result).forEach((line) => log(line));
  }
}

/** The start output's lines for a distance job's result: one per subject. */
export function describeDistances(result: Partial<RadiomicsDistanceResult>): string[] {
  return [
    ...(result.computed ?? []).map((c) => `Fréchet Radiomics Distance of ${c.subject}: ${c.frd.toPrecision(3)} (precision ${c.precision.toFixed(2)}, recall ${c.recall.toFixed(2)}).`),
    ...(result.skipped ?? []).map((s) => `Fréchet Radiomics Distance of ${s.subject} not computed: ${s.reason}.`),
  ];
}
