import { NextResponse } from 'next/server';
import { readJson, withRole } from '@/lib/http';
import { changeOwnPassword, changePasswordSchema } from '@/lib/users';

export const dynamic = 'force-dynamic';

export const POST = withRole(['READER', 'COORDINATOR', 'ADMIN'], async (request, { user }) => {
  await changeOwnPassword(user.id, changePasswordSchema.parse(await readJson(request)));
  return NextResponse.json({ ok: true });
}, { allowsTemporaryPassword: true });
