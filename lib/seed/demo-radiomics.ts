import crypto from 'node:crypto';
import { getPrisma } from '@/lib/db/client';
import type { RadiomicsDistanceParams } from '@/lib/jobs';
import { radiomicsDistance } from '@/lib/jobs/handlers/radiomics-distance';

/**
 * The Fréchet Radiomics Distance of the demo's synthetic sets (its pools and checkpoints), once, so that the
 * pool and checkpoint pages show one from the start: the demo's batches are seeded in-process, not uploaded,
 * so no upload queued it. Run in-process like the demo generation; a Job row with a fixed id records each.
 */
export async function seedDemoRadiomics(log: (line: string) => void): Promise<void> {
  const prisma = getPrisma();
  const [pools, checkpoints] = await Promise.all([
    prisma.pool.findMany({ where: { images: { some: { origin: 'SYNTHETIC' } } }, select: { id: true, key: true } }),
    prisma.checkpoint.findMany({ where: { batches: { some: {} } }, select: { id: true, name: true } }),
  ]);
  const subjects: Array<{ jobId: string; params: RadiomicsDistanceParams; name: string }> = [
    ...pools.map((p) => ({ jobId: `demo-radiomics-pool-${p.key}`, params: { poolId: p.id }, name: `pool ${p.key}` })),
    ...checkpoints.map((c) => ({ jobId: `demo-radiomics-checkpoint-${c.id}`, params: { checkpointId: c.id }, name: `checkpoint ${c.name}` })),
  ];
  for (const { jobId, params, name } of subjects) {
    const existing = await prisma.job.findUnique({ where: { id: jobId } });
    if (existing?.status === 'SUCCEEDED') continue;
    const row =
      existing ??
      (await prisma.job.create({ data: { id: jobId, kind: radiomicsDistance.kind, params, status: 'RUNNING', startedAt: new Date(), queueJobId: crypto.randomUUID() } }));
    const result = await radiomicsDistance.run({
      jobId,
      params,
      attempt: 1,
      createdAt: row.createdAt,
      signal: new AbortController().signal,
      progress: async () => undefined,
    });
    await prisma.job.update({ where: { id: jobId }, data: { status: 'SUCCEEDED', progress: 1, result, finishedAt: new Date() } });
    for (const c of result.computed) log(`Fréchet Radiomics Distance of ${c.subject}: ${c.frd.toPrecision(3)} (precision ${c.precision.toFixed(2)}, recall ${c.recall.toFixed(2)}).`);
    for (const s of result.skipped) log(`Fréchet Radiomics Distance of ${name} not computed: ${s.reason}.`);
  }
}
