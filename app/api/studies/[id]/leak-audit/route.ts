import { NextResponse } from 'next/server';
import { withStudyRole } from '@/lib/http';
import { runLeakAudit } from '@/lib/studies/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Runs the leak audit on the study's pools now (what opening will run), without opening. */
export const POST = withStudyRole<Context>(async (_request, { user, params }) => {
  const { id } = await params;
  return NextResponse.json({ leakAudit: await runLeakAudit(id, user.id) });
});
