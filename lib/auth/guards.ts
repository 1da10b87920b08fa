import { getServerSession } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { redirect } from 'next/navigation';
import { getAuthOptions } from './options';
import { getAuthSecret } from './secret';
import { decodeSessionToken } from './session-token';
import { checkedUser, type AppRole, type SessionClaims, type SessionUser } from './session-user';

export type { AppRole, SessionClaims, SessionUser };

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
  return checkedUser({ userId: session.user.id, sessionVersion: session.sessionVersion });
}

/**
 * What the request's session cookie claims, not yet checked against the database: decoding the JWT is
 * all that is needed (getServerSession would also re-issue the cookie on every call), with the key
 * derived once (session-token.ts).
 */
export async function sessionClaimsFromRequest(request: Request): Promise<SessionClaims | null> {
  const token = await getToken({ req: request as NextRequest, secret: getAuthSecret(), decode: decodeSessionToken });
  if (!token?.uid) return null;
  return { userId: token.uid, sessionVersion: token.sessionVersion };
}

/** The same check as currentUser for route handlers, from the request's session cookie alone. */
export async function currentUserFromRequest(request: Request): Promise<SessionUser | null> {
  const claims = await sessionClaimsFromRequest(request);
  return claims ? checkedUser(claims) : null;
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
