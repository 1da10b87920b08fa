import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getPrisma } from '@/lib/db/client';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { readJson, withRole } from '@/lib/http';
import { enqueueJob, jobView } from '@/lib/jobs';
import { latestTwoSampleJob } from '@/lib/jobs/kinds/two-sample-test';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

const body = z.strictObject({ kind: z.enum(['two-sample-test', 'train-synthetic-test-real']) });

async function checkpointPool(id: string) {
  const prisma = getPrisma();
  const checkpoint = await prisma.checkpoint.findUnique({ where: { id }, select: { id: true } });
  if (!checkpoint) throw new NotFoundError('No such checkpoint.');
  const pool = await prisma.pool.findFirst({ where: { images: { some: { batch: { checkpointId: id } } } }, select: { id: true } });
  if (!pool) throw new ConflictError('This checkpoint has generated no images yet.');
  return pool.id;
}

async function latestJobs(id: string) {
  const prisma = getPrisma();
  const poolId = await checkpointPool(id).catch(() => null);
  const [machine, utility] = await Promise.all([
    poolId ? latestTwoSampleJob({ poolId, checkpointId: id }) : null,
    prisma.job.findFirst({ where: { kind: 'train-synthetic-test-real', params: { path: ['checkpointId'], equals: id } }, orderBy: { createdAt: 'desc' } }),
  ]);
  return { machine: machine ? jobView(machine) : null, utility: utility ? jobView(utility) : null };
}

/** The checkpoint's latest "Can a machine tell?" and train-on-synthetic jobs. */
export const GET = withRole<Context>(['ADMIN'], async (_request, { params }) => {
  const { id } = await params;
  return NextResponse.json(await latestJobs(id));
});

/** Starts one of the two evaluations of the checkpoint's synthetic images. */
export const POST = withRole<Context>(['ADMIN'], async (request, { user, params }) => {
  const { id } = await params;
  const { kind } = body.parse(await readJson(request));
  const poolId = await checkpointPool(id);
  const job = await enqueueJob(kind, kind === 'two-sample-test' ? { poolId, checkpointId: id } : { checkpointId: id }, { createdById: user.id });
  return NextResponse.json({ job: jobView(job) }, { status: 202 });
});
