import { getPrisma } from '@/lib/db/client';
import type { AppRole } from './guards';
import { decoyPasswordHash, verifyPassword } from './passwords';
import { releaseLoginAttempt, reserveLoginAttempt } from './rate-limit';

export const LOGIN_FAILED_MESSAGE = 'Wrong e-mail or password.';

export type AuthorizedUser = { id: string; email: string; name: string; role: AppRole; sessionVersion: number; mustChangePassword: boolean };

/** A refused login: the message is shown on the login page as it is. */
export class LoginRefused extends Error {}

/**
 * The credentials check behind next-auth's authorize(): throttled first (an attempt is reserved before the
 * password is compared, lib/auth/rate-limit.ts), the same message for an unknown account and a wrong password.
 */
export async function authorizeCredentials(rawEmail: string, password: string, ip: string): Promise<AuthorizedUser> {
  const email = rawEmail.trim().toLowerCase();
  if (!email || !password) throw new LoginRefused('Enter your e-mail and password.');
  const reservation = await reserveLoginAttempt(email, ip);
  if (reservation.isLimited) throw new LoginRefused(`Too many failed attempts. Try again in ${reservation.retryAfterMinutes} minutes.`);
  const user = await getPrisma().user.findUnique({ where: { email } });
  const isValid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !isValid) throw new LoginRefused(LOGIN_FAILED_MESSAGE);
  if (user.isDisabled) throw new LoginRefused('This account is disabled. Ask an administrator to re-enable it.');
  await releaseLoginAttempt(email, ip);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
    mustChangePassword: user.mustChangePassword,
  };
}
