import { NextResponse } from 'next/server';
import { withStudyRole } from '@/lib/http';
import { closeStudy } from '@/lib/studies/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export const POST = withStudyRole<Context>(async (_request, { user, params }) => {
  const { id } = await params;
  await closeStudy(id, user.id);
  return NextResponse.json({ status: 'CLOSED' });
});
