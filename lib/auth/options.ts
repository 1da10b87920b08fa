import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getPrisma } from '@/lib/db/client';
import { safeCallbackPath } from './callback-url';
import { clientAddress, trustedProxies } from './client-address';
import { authorizeCredentials } from './login';
import { getAuthSecret } from './secret';
import { decodeSessionToken } from './session-token';

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** next-auth v4: credentials login, JWT sessions carrying the role; every request re-checks the user in lib/auth/guards. */
export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    // next-auth's own format, with the decryption key derived once per process instead of per request.
    jwt: { decode: decodeSessionToken },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'E-mail and password',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const headers = (req?.headers ?? {}) as Record<string, unknown>;
          const ip = clientAddress((name) => (typeof headers[name] === 'string' ? (headers[name] as string) : null), trustedProxies());
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
      // next-auth's own redirects (sign-in, sign-out callbackUrl) stay on this site, like the login form's.
      async redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || '/' : url;
        return `${baseUrl}${safeCallbackPath(path)}`;
      },
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
