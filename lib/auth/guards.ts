import { getServerSession } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { redirect } from 'next/navigation';
import { getPrisma } from '@/lib/db/client';
import { getAuthOptions } from './options';
import { getAuthSecret } from './secret';

export type AppRole = 'READER' | 'COORDINATOR' | 'ADMIN';
export type SessionUser = { id: string; email: string; name: string; role: AppRole; mustChangePassword: boolean };

export const LANDING_BY_ROLE: Record<AppRole, string> = {
  READER: '/read',
  COORDINATOR: '/studies',
  ADMIN: '/admin',
};

/**
 * The signed-in user, re-read from the database on every request: a disabled account, a changed role or a
 * password change (sessionVersion) takes effect on the next request, whatever the JWT still says.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  if (!session?.user?.id) return null;
  return checkedUser(session.user.id, session.sessionVersion);
}

/**
 * The same check for route handlers, from the request's session cookie alone: decoding the JWT is
 * all that is needed (getServerSession would also re-issue the cookie on every call, the answer path's
 * largest cost).
 */
export async function currentUserFromRequest(request: Request): Promise<SessionUser | null> {
  const token = await getToken({ req: request as NextRequest, secret: getAuthSecret() });
  if (!token?.uid) return null;
  return checkedUser(token.uid, token.sessionVersion);
}

async function checkedUser(id: string, sessionVersion: number | undefined): Promise<SessionUser | null> {
  const user = await getPrisma().user.findUnique({ where: { id } });
  if (!user || user.isDisabled || sessionVersion !== user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
}

export const CHANGE_PASSWORD_PATH = '/account/password';

/** For pages (server components): anonymous → login, wrong role → the 403 page. */
export async function requirePageRole(roles: readonly AppRole[], callbackPath?: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/login${callbackPath ? `?callbackUrl=${encodeURIComponent(callbackPath)}` : ''}`);
  if (!roles.includes(user.role)) redirect('/forbidden');
  // A temporary password (new account, admin reset) is replaced before anything else.
  if (user.mustChangePassword && callbackPath !== CHANGE_PASSWORD_PATH) redirect(CHANGE_PASSWORD_PATH);
  return user;
}
