import { getPrisma } from '@/lib/db/client';
import { ForbiddenError, UnauthenticatedError, type DomainError } from '@/lib/errors';

/**
 * Who a request's session belongs to, checked against the database, and why a request is refused —
 * free of Next, so that lib/http (every route) and lib/reading/store (the answer path, which checks the
 * same things inside its own SQL statement) share one definition.
 */
export type AppRole = 'READER' | 'COORDINATOR' | 'ADMIN';
export type SessionUser = { id: string; email: string; name: string; role: AppRole; mustChangePassword: boolean };

/** What a session cookie claims; nothing in it is believed before checkedUser (or an equivalent SQL check) confirms it. */
export type SessionClaims = { userId: string; sessionVersion: number | undefined };

/** `allowsTemporaryPassword`: only the password change itself (and next-auth's own routes) take an account that must change its password. */
export type AccessOptions = { allowsTemporaryPassword?: boolean };

export const PASSWORD_CHANGE_REQUIRED =
  'Your account still has a temporary password: choose your own first (Password page, /account/password; API: POST /api/account/password).';

/**
 * The signed-in user, re-read from the database: a disabled account, a changed role or a password change
 * (sessionVersion) takes effect on the next request, whatever the JWT still says.
 */
export async function checkedUser({ userId, sessionVersion }: SessionClaims): Promise<SessionUser | null> {
  const user = await getPrisma().user.findUnique({ where: { id: userId } });
  if (!user || user.isDisabled || sessionVersion !== user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
}

/** Why `user` may not make a request that needs one of `roles` (401, then the temporary password, then the role); null when it may. */
export function sessionRefusal(user: SessionUser | null, roles: readonly AppRole[], options: AccessOptions = {}): DomainError | null {
  if (!user) return new UnauthenticatedError('Sign in first.');
  if (user.mustChangePassword && !options.allowsTemporaryPassword) return new ForbiddenError(PASSWORD_CHANGE_REQUIRED, { code: 'PASSWORD_CHANGE_REQUIRED' });
  if (!roles.includes(user.role)) return new ForbiddenError('Your role may not do this.');
  return null;
}
