import { NextResponse } from 'next/server';
import { readJson, withRole } from '@/lib/http';
import { createUser, createUserSchema, listUsers } from '@/lib/users';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () => NextResponse.json({ users: await listUsers() }));

export const POST = withRole(['ADMIN'], async (request, { user }) => {
  const input = createUserSchema.parse(await readJson(request));
  return NextResponse.json(await createUser(user.id, input), { status: 201 });
});
