import { NextResponse } from 'next/server';
import { jsonError, withStudyRole } from '@/lib/http';
import { dashboardStats } from '@/lib/dashboard/store';
import { recordInterimDecision } from '@/lib/studies/interim';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/**
 * The study's interim looks: sizes, boundaries, statistics of reached looks, decisions (the study's team and
 * admins). Part of the dashboard's statistics, so it shares their per-study cache.
 */
export const GET = withStudyRole<Context>(async (_request, { params }) => {
  const { id } = await params;
  return NextResponse.json({ interim: (await dashboardStats(id)).interim });
});

/** Records the decision at a reached look: { look, decision: 'continue' | 'close', note? }. */
export const POST = withStudyRole<Context>(async (request, { user, params }) => {
  const { id } = await params;
  const body = await request.json().catch(() => null);
  if (!body || typeof body !== 'object') return jsonError(400, 'Send JSON: { look, decision, note }.');
  return NextResponse.json({ interim: await recordInterimDecision(id, body, user.id) });
});
