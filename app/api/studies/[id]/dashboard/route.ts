import { NextResponse } from 'next/server';
import { withStudyRole } from '@/lib/http';
import { dashboardStats, studyProgress } from '@/lib/dashboard/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Every dashboard statistic as JSON; `?view=progress` gives only the progress (what the page polls). */
export const GET = withStudyRole<Context>(async (request, { params }) => {
  const { id } = await params;
  const view = new URL(request.url).searchParams.get('view');
  const headers = { 'Cache-Control': 'no-store' };
  if (view === 'progress') return NextResponse.json(await studyProgress(id), { headers });
  return NextResponse.json(await dashboardStats(id), { headers });
});
