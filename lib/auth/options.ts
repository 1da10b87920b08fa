import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getPrisma } from '@/lib/db/client';
import { decoyPasswordHash, verifyPassword } from './passwords';
import { checkLoginThrottle, recordLoginAttempt } from './rate-limit';
import { getAuthSecret } from './secret';

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const LOGIN_FAILED_MESSAGE = 'Wrong e-mail or password.';

function clientIp(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  const real = headers?.['x-real-ip'];
  return first || (typeof real === 'string' ? real : '') || 'unknown';
}

/** next-auth v4: credentials login, JWT sessions carrying the role; every request re-checks the user in lib/auth/guards. */
export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'E-mail and password',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? '').trim().toLowerCase();
          const password = String(credentials?.password ?? '');
          if (!email || !password) throw new Error('Enter your e-mail and password.');
          const ip = clientIp(req?.headers as Record<string, unknown> | undefined);
          const throttle = await checkLoginThrottle(email, ip);
          if (throttle.isLimited) {
            throw new Error(`Too many failed attempts. Try again in ${throttle.retryAfterMinutes} minutes.`);
          }
          const user = await getPrisma().user.findUnique({ where: { email } });
          const isValid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
          if (!user || !isValid) {
            await recordLoginAttempt(email, ip, false);
            throw new Error(LOGIN_FAILED_MESSAGE);
          }
          if (user.isDisabled) throw new Error('This account is disabled. Ask an administrator to re-enable it.');
          await recordLoginAttempt(email, ip, true);
          return {
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            sessionVersion: user.sessionVersion,
            mustChangePassword: user.mustChangePassword,
          };
        },
      }),
    ],
    events: {
      // Logging out ends the session for real: a copy of the cookie is refused afterwards (sessionVersion).
      async signOut({ token }) {
        if (token?.uid) await getPrisma().user.updateMany({ where: { id: token.uid }, data: { sessionVersion: { increment: 1 } } });
      },
    },
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.sessionVersion = user.sessionVersion;
          token.mustChangePassword = user.mustChangePassword;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = {
          ...session.user,
          id: token.uid,
          role: token.role,
          mustChangePassword: token.mustChangePassword,
        };
        session.sessionVersion = token.sessionVersion;
        return session;
      },
    },
  };
}
