import { NextResponse } from 'next/server';
import { readJson, withStudyRole } from '@/lib/http';
import { addTeamMember, removeTeamMember, studyTeam, teamChangeSchema } from '@/lib/studies/team';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** The study's owner and team. */
export const GET = withStudyRole<Context>(async (_request, { user, params }) => {
  return NextResponse.json(await studyTeam((await params).id, user));
});

/** Adds a coordinator by e-mail (the owner or an admin). */
export const POST = withStudyRole<Context>(async (request, { user, params }) => {
  return NextResponse.json(await addTeamMember((await params).id, teamChangeSchema.parse(await readJson(request)), user));
});

/** Removes a coordinator by e-mail (the owner or an admin). */
export const DELETE = withStudyRole<Context>(async (request, { user, params }) => {
  return NextResponse.json(await removeTeamMember((await params).id, teamChangeSchema.parse(await readJson(request)), user));
});
