import { NextResponse } from 'next/server';
import { readJson, withRole } from '@/lib/http';
import { updateUser, updateUserSchema } from '@/lib/users';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export const PATCH = withRole<Context>(['ADMIN'], async (request, { user, params }) => {
  const { id } = await params;
  const change = updateUserSchema.parse(await readJson(request));
  return NextResponse.json(await updateUser(user.id, id, change));
});
