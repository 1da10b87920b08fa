import { NextResponse } from 'next/server';
import { withStudyRole } from '@/lib/http';
import { openStudy } from '@/lib/studies/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Leak audit, then freeze and open; 422 with the audit report when the audit fails. */
export const POST = withStudyRole<Context>(async (_request, { user, params }) => {
  const { id } = await params;
  const opened = await openStudy(id, user.id);
  return NextResponse.json(opened);
});
