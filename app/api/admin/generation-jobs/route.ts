import { NextResponse } from 'next/server';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { startBrowserGenerationJob } from '@/lib/gan/browser-job';
import { generationParamsSchema, planGeneration } from '@/lib/gan/plan';
import { checkTargetPool } from '@/lib/gan/target-pool';
import { readJson, withRole } from '@/lib/http';
import { enqueueJob, recentJobs } from '@/lib/jobs';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () =>
  NextResponse.json({ jobs: (await recentJobs(50)).filter((j) => j.kind === 'gan-generation') }, { headers: { 'Cache-Control': 'no-store' } }),
);

const requestSchema = generationParamsSchema.extend({ allowPoolWithoutRealImages: z.boolean().optional(), runner: z.enum(['worker', 'browser']).optional() });

/**
 * Queues a generation job: { checkpointId, count, labels?: [{ labels, count }], seed, truncation?,
 * allowPoolWithoutRealImages?, runner?: 'worker' | 'browser' } → 202 { jobId, pool }; 409 when the target pool
 * has no real images and the request did not say to go ahead (the message says how to add real images).
 * A browser job is run by admins' browsers through /lease and /chunks (lib/gan/browser-job.ts), not queued.
 */
export const POST = withRole(['ADMIN'], async (request, { user }) => {
  const { allowPoolWithoutRealImages, runner, ...params } = requestSchema.parse(await readJson(request));
  const checkpoint = await getPrisma().checkpoint.findUnique({ where: { id: params.checkpointId }, select: { id: true, name: true, labels: true, modality: true, resolution: true } });
  if (!checkpoint) throw new NotFoundError('There is no such checkpoint.');
  planGeneration(params, checkpoint.labels, getConfig().GAN_MAX_IMAGES_PER_JOB);
  const pool = await checkTargetPool(checkpoint, allowPoolWithoutRealImages ?? false);
  const job = runner === 'browser' ? await startBrowserGenerationJob(params, user.id) : await enqueueJob('gan-generation', params, { createdById: user.id });
  await audit({ actorId: user.id, action: 'generation-job.create', targetType: 'Job', targetId: job.id, after: { ...params, runner: runner ?? 'worker', checkpointName: checkpoint.name, poolWithoutRealImages: !!pool.warning } });
  return NextResponse.json({ jobId: job.id, runner: runner ?? 'worker', pool }, { status: 202, headers: { Location: `/api/admin/generation-jobs/${job.id}` } });
});
