import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { findJob } from '@/lib/jobs';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Status and progress of one job; the admin pages poll it. */
export const GET = withRole<Context>(['ADMIN'], async (_request, { params }) => {
  const { id } = await params;
  const job = await findJob(id);
  if (!job) throw new NotFoundError('No such job.');
  return NextResponse.json({ job }, { headers: { 'Cache-Control': 'no-store' } });
});
