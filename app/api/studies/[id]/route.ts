import { NextResponse } from 'next/server';
import { getPrisma } from '@/lib/db/client';
import { readJson, withStudyRole } from '@/lib/http';
import { updateDraft } from '@/lib/studies/store';
import { draftUpdateSchema } from '@/lib/studies/schemas';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export const GET = withStudyRole<Context>(async (_request, { params }) => {
  const { id } = await params;
  const study = await getPrisma().study.findUnique({
    where: { id },
    select: { id: true, name: true, description: true, status: true, config: true, configHash: true, poolIds: true, readerIds: true, openedAt: true, closedAt: true, createdAt: true },
  });
  if (!study) throw new NotFoundError('No such study.');
  return NextResponse.json({ study });
});

/** Edits a draft; refused (409) once the study has opened. */
export const PATCH = withStudyRole<Context>(async (request, { user, params }) => {
  const { id } = await params;
  const change = draftUpdateSchema.parse(await readJson(request));
  return NextResponse.json({ study: await updateDraft(id, change, user.id) });
});
