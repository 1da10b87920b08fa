import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { readerState } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ assignmentId: string }> };

export const GET = withRole<Context>(['READER'], async (_request, { user, params }) => {
  const { assignmentId } = await params;
  return NextResponse.json(await readerState(assignmentId, user.id), { headers: { 'Cache-Control': 'no-store' } });
});
