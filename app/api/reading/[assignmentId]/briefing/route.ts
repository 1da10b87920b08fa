import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { confirmBriefing } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ assignmentId: string }> };

/** The reader confirms the study's briefing (shown once, before the first image). */
export const POST = withRole<Context>(['READER'], async (_request, { user, params }) => {
  const { assignmentId } = await params;
  const { briefedAt } = await confirmBriefing(assignmentId, user.id);
  return NextResponse.json({ briefedAt: briefedAt.toISOString() }, { headers: { 'Cache-Control': 'no-store' } });
});
