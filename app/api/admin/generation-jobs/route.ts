import { NextResponse } from 'next/server';
import { audit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { generationParamsSchema, planGeneration } from '@/lib/gan/plan';
import { readJson, withRole } from '@/lib/http';
import { enqueueJob, recentJobs } from '@/lib/jobs';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () =>
  NextResponse.json({ jobs: (await recentJobs(50)).filter((j) => j.kind === 'gan-generation') }, { headers: { 'Cache-Control': 'no-store' } }),
);

/** Queues a generation job: { checkpointId, count, labels?: [{ labels, count }], seed, truncation? } → 202 { jobId }. */
export const POST = withRole(['ADMIN'], async (request, { user }) => {
  const params = generationParamsSchema.parse(await readJson(request));
  const checkpoint = await getPrisma().checkpoint.findUnique({ where: { id: params.checkpointId }, select: { id: true, name: true, labels: true } });
  if (!checkpoint) throw new NotFoundError('There is no such checkpoint.');
  planGeneration(params, checkpoint.labels, getConfig().GAN_MAX_IMAGES_PER_JOB);
  const job = await enqueueJob('gan-generation', params, { createdById: user.id });
  await audit({ actorId: user.id, action: 'generation-job.create', targetType: 'Job', targetId: job.id, after: { ...params, checkpointName: checkpoint.name } });
  return NextResponse.json({ jobId: job.id }, { status: 202, headers: { Location: `/api/admin/generation-jobs/${job.id}` } });
});
