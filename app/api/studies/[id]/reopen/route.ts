import { NextResponse } from 'next/server';
import { readJson, withStudyRole } from '@/lib/http';
import { reopenStudy } from '@/lib/studies/store';
import { reopenSchema } from '@/lib/studies/schemas';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export const POST = withStudyRole<Context>(async (request, { user, params }) => {
  const { id } = await params;
  const { reason } = reopenSchema.parse(await readJson(request));
  await reopenStudy(id, user.id, reason);
  return NextResponse.json({ status: 'OPEN' });
});
