import { CheckpointList } from '@/components/gan/checkpoint-list';
import { CheckpointUpload } from '@/components/gan/checkpoint-upload';
import { GenerationPanel } from '@/components/gan/generation-panel';
import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';
import { listCheckpoints } from '@/lib/gan/registry';
import { targetPool } from '@/lib/gan/target-pool';
import { recentJobs } from '@/lib/jobs';
import { latestUtilityVerdicts } from '@/lib/jobs/kinds/train-synthetic-test-real';
import { latestTwoSampleJob, type MachineVerdict } from '@/lib/jobs/kinds/two-sample-test';

export const dynamic = 'force-dynamic';

export default async function CheckpointsPage() {
  await requirePageRole(['ADMIN'], '/admin/checkpoints');
  const [checkpoints, jobs, distances] = await Promise.all([
    listCheckpoints(),
    recentJobs(20),
    getPrisma().radiomicsDistance.findMany({ where: { checkpointId: { not: null } } }),
  ]);
  const pools = await Promise.all(checkpoints.map((c) => targetPool(c)));
  const utility = await latestUtilityVerdicts(checkpoints.map((c) => c.id));
  const evaluations = new Map(
    await Promise.all(
      checkpoints.map(async (c) => {
        const pool = await getPrisma().pool.findFirst({ where: { images: { some: { batch: { checkpointId: c.id } } } }, select: { id: true } });
        const machine = pool ? await latestTwoSampleJob({ poolId: pool.id, checkpointId: c.id }, 'SUCCEEDED') : null;
        return [c.id, { machine: (machine?.result as MachineVerdict | null) ?? null, utility: utility.get(c.id) ?? null }] as const;
      }),
    ),
  );
  return (
    <main className="page">
      <h1>GAN checkpoints</h1>
      <CheckpointUpload />
      <h2>Generate synthetic images</h2>
      <GenerationPanel
        checkpoints={checkpoints.map((c, i) => ({ id: c.id, name: c.name, modality: c.modality, resolution: c.resolution, labels: c.labels, pool: { key: pools[i].poolKey, realImages: pools[i].realImages, warning: pools[i].warning } }))}
        initialJobs={jobs.filter((j) => j.kind === 'gan-generation')}
      />
      <h2>Registered</h2>
      <CheckpointList checkpoints={checkpoints} evaluations={evaluations} distances={new Map(distances.map((d) => [d.checkpointId!, d]))} />
    </main>
  );
}
