import { NextResponse } from 'next/server';
import { audit } from '@/lib/audit';
import { withRole } from '@/lib/http';
import { cancelJob, findJob } from '@/lib/jobs';
import { ConflictError, NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

async function generationJob(id: string) {
  const job = await findJob(id);
  if (!job || job.kind !== 'gan-generation') throw new NotFoundError('There is no such generation job.');
  return job;
}

export const GET = withRole<Context>(['ADMIN'], async (_request, { params }) =>
  NextResponse.json({ job: await generationJob((await params).id) }, { headers: { 'Cache-Control': 'no-store' } }),
);

/** Cancels a queued or running job (a running one stops before its import: nothing is stored). */
export const DELETE = withRole<Context>(['ADMIN'], async (_request, { params, user }) => {
  const { id } = await params;
  const before = await generationJob(id);
  const outcome = await cancelJob(id);
  if (outcome === 'finished') throw new ConflictError(`The job has already ${before.status === 'SUCCEEDED' ? 'finished' : before.status.toLowerCase()}; there is nothing to cancel.`);
  await audit({ actorId: user.id, action: 'generation-job.cancel', targetType: 'Job', targetId: id, before: { status: before.status, progress: before.progress } });
  return NextResponse.json({ job: await generationJob(id) });
});
