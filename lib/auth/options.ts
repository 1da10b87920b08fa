import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getPrisma } from '@/lib/db/client';
import { authorizeCredentials } from './login';
import { getAuthSecret } from './secret';

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

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
          const ip = clientIp(req?.headers as Record<string, unknown> | undefined);
          // next-auth shows the thrown message on the login page (?error=…).
          return authorizeCredentials(String(credentials?.email ?? ''), String(credentials?.password ?? ''), ip);
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
