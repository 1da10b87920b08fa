import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { apiRoutes, callRoute, sessionCookie, type ApiRoute } from '../support/routes';

/**
 * Every route handler in app/api, called in-process with a real session against the database (the
 * browser-level matrix over pages and routes is e2e/access.spec.ts).
 */
const PASSWORD = 'temporary-password-1';
let routes: ApiRoute[];

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  routes = apiRoutes().filter((r) => !r.pattern.startsWith('/api/auth') && r.pattern !== '/api/health');
  expect(routes.length).toBeGreaterThan(20);
});

describe('an account with a temporary password', () => {
  it('gets 403 with a clear message from every API route but the password change, which then opens them', async () => {
    const prisma = getPrisma();
    // An admin: every role check would pass, so only the temporary password can refuse.
    const user = await prisma.user.create({
      data: { email: `temporary-${Date.now()}@access.local`, name: 'Temporary', role: 'ADMIN', passwordHash: await hashPassword(PASSWORD), mustChangePassword: true },
    });
    const cookie = await sessionCookie(user.id);
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      if (route.pattern === '/api/account/password') continue;
      for (const method of route.methods) {
        const response = await callRoute(route, method, { cookie });
        const body = (await response.json().catch(() => ({}))) as { code?: string; error?: string };
        checked++;
        if (response.status !== 403 || body.code !== 'PASSWORD_CHANGE_REQUIRED' || !/temporary password/.test(body.error ?? '')) {
          wrong.push(`${method} ${route.pattern}: ${response.status} ${JSON.stringify(body).slice(0, 80)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(25);

    const passwordRoute = routes.find((r) => r.pattern === '/api/account/password')!;
    const change = await callRoute(passwordRoute, 'POST', { cookie, body: { currentPassword: PASSWORD, newPassword: 'my-own-password-42' } });
    expect(change.status).toBe(200);
    const fresh = await sessionCookie(user.id);
    const studies = await callRoute(routes.find((r) => r.pattern === '/api/studies')!, 'GET', { cookie: fresh });
    expect(studies.status).toBe(200);
  });
});
