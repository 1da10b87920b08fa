import { NextResponse } from 'next/server';
import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { withRole } from '@/lib/http';
import { enqueueJob, jobView } from '@/lib/jobs';
import { InvalidInputError, NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Runs the memorisation check of a batch's synthetic images again (e.g. after a training set was registered). */
export const POST = withRole<Context>(['ADMIN'], async (_request, { user, params }) => {
  const { id } = await params;
  const batch = await getPrisma().batch.findUnique({ where: { id } });
  if (!batch) throw new NotFoundError('No such batch.');
  if (batch.origin !== 'SYNTHETIC') throw new InvalidInputError('Only synthetic batches are checked for memorisation.');
  const job = await enqueueJob('memorisation-check', { batchId: id }, { createdById: user.id, batchId: id });
  await audit({ actorId: user.id, action: 'batch.check', targetType: 'Batch', targetId: id, after: { jobId: job.id } });
  return NextResponse.json({ job: jobView(job) }, { status: 202 });
});
