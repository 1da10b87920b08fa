import { NextResponse } from 'next/server';
import { getPrisma } from '@/lib/db/client';
import { readJson, withRole } from '@/lib/http';
import { createStudy } from '@/lib/studies/store';
import { draftSchema } from '@/lib/studies/schemas';
import { visibleStudiesWhere } from '@/lib/studies/team';

export const dynamic = 'force-dynamic';

export const GET = withRole(['COORDINATOR', 'ADMIN'], async (_request, { user }) => {
  const studies = await getPrisma().study.findMany({
    where: visibleStudiesWhere(user),
    select: { id: true, name: true, status: true, configHash: true, createdAt: true, _count: { select: { assignments: true, images: true } } },
    orderBy: { createdAt: 'desc' },
  });
  return NextResponse.json({ studies });
});

/** Creates a draft. */
export const POST = withRole(['COORDINATOR', 'ADMIN'], async (request, { user }) => {
  const input = draftSchema.parse(await readJson(request));
  const study = await createStudy({ ...input, createdById: user.id });
  return NextResponse.json({ id: study.id, status: study.status }, { status: 201 });
});
