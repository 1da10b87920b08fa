import { withAuth } from 'next-auth/middleware';
import { NextResponse } from 'next/server';

/**
 * First line of defence for pages: route groups need a session, and a role that fits. Every page and
 * route handler checks again on the server against the database (lib/auth/guards.ts, lib/http.ts);
 * API routes are left to their handlers so that they answer 401/403 as JSON rather than redirects.
 */
const RULES: Array<{ prefix: string; roles: string[] }> = [
  { prefix: '/admin', roles: ['ADMIN'] },
  { prefix: '/studies', roles: ['COORDINATOR', 'ADMIN'] },
  { prefix: '/read', roles: ['READER'] },
];

export default withAuth(
  function proxy(req) {
    const path = req.nextUrl.pathname;
    const rule = RULES.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
    if (rule && !rule.roles.includes(String(req.nextauth.token?.role))) {
      return NextResponse.redirect(new URL('/forbidden', req.url));
    }
    return NextResponse.next();
  },
  { callbacks: { authorized: ({ token }) => Boolean(token) }, pages: { signIn: '/login' } },
);

export const config = {
  matcher: ['/admin/:path*', '/studies/:path*', '/read/:path*', '/account/:path*'],
};
