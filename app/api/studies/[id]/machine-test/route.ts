import { NextResponse } from 'next/server';
import { NotFoundError } from '@/lib/errors';
import { withStudyRole } from '@/lib/http';
import { enqueueJob, jobView } from '@/lib/jobs';
import { latestTwoSampleJob } from '@/lib/jobs/kinds/two-sample-test';
import { getPrisma } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** The study's latest "Can a machine tell?" job (status, progress, result). */
export const GET = withStudyRole<Context>(async (_request, { params }) => {
  const { id } = await params;
  const job = await latestTwoSampleJob({ studyId: id });
  return NextResponse.json({ job: job ? jobView(job) : null });
});

/** Starts the classifier two-sample test on the study's images, unless one is already queued or running. */
export const POST = withStudyRole<Context>(async (_request, { user, params }) => {
  const { id } = await params;
  if (!(await getPrisma().study.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundError('No such study.');
  const latest = await latestTwoSampleJob({ studyId: id });
  if (latest && (latest.status === 'QUEUED' || latest.status === 'RUNNING')) return NextResponse.json({ job: jobView(latest) }, { status: 202 });
  const job = await enqueueJob('two-sample-test', { studyId: id }, { createdById: user.id });
  return NextResponse.json({ job: jobView(job) }, { status: 202 });
});
