import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { apiRoutes, callRoute, sessionCookie, type ApiRoute } from '../support/routes';
import { openHeadCtStudy } from '../support/open-study';

/**
 * Every route handler in app/api, called in-process with a real session against the database (the
 * browser-level matrix over pages and routes is e2e/access.spec.ts).
 */
const PASSWORD = 'temporary-password-1';
let routes: ApiRoute[];

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
  // /api/bench/echo: the benchmark's baseline, 404 unless BENCH_ROUTES=1 (tested in bench-routes.test.ts).
  routes = apiRoutes().filter((r) => !r.pattern.startsWith('/api/auth') && r.pattern !== '/api/health' && !r.pattern.startsWith('/api/bench'));
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

describe('studies belong to their team', () => {
  it('a coordinator of another team gets 404 from every study route; the owner, a team member and admins do not', async () => {
    const prisma = getPrisma();
    const passwordHash = await hashPassword(PASSWORD);
    const make = (label: string, role: 'COORDINATOR' | 'ADMIN') =>
      prisma.user.create({ data: { email: `${label}-${Date.now()}@access.local`, name: label, role, passwordHash } });
    const [owner, member, outsider, admin] = await Promise.all([make('owner', 'COORDINATOR'), make('member', 'COORDINATOR'), make('outsider', 'COORDINATOR'), make('admin', 'ADMIN')]);
    const { studyId, readers } = await openHeadCtStudy('team', 1, undefined, owner.id);
    const imageId = (await prisma.studyImage.findFirstOrThrow({ where: { studyId } })).imageId;
    const cookies = Object.fromEntries(await Promise.all(Object.entries({ owner, member, outsider, admin }).map(async ([who, u]) => [who, await sessionCookie(u.id)] as const)));
    const team = routes.find((r) => r.pattern === '/api/studies/[id]/team')!;

    // Only the owner (or an admin) changes the team; the outsider cannot even see it.
    expect((await callRoute(team, 'POST', { cookie: cookies.outsider, values: { id: studyId }, body: { email: member.email } })).status).toBe(404);
    const added = await callRoute(team, 'POST', { cookie: cookies.owner, values: { id: studyId }, body: { email: member.email } });
    expect(added.status).toBe(200);
    expect(((await added.json()) as { members: Array<{ email: string }> }).members.map((m) => m.email)).toEqual([member.email]);
    expect((await callRoute(team, 'POST', { cookie: cookies.member, values: { id: studyId }, body: { email: outsider.email } })).status).toBe(403);
    expect((await callRoute(team, 'POST', { cookie: cookies.owner, values: { id: studyId }, body: { email: readers[0].id } })).status).toBe(400);

    const studyRoutes = routes.filter((r) => r.pattern.startsWith('/api/studies/[id]'));
    expect(studyRoutes.length).toBeGreaterThanOrEqual(9);
    const values = { id: studyId, imageId, format: 'csv' };
    const wrong: string[] = [];
    for (const route of studyRoutes) {
      for (const method of route.methods) {
        // GETs only for the allowed users: a POST would change the study under the test's feet.
        for (const who of ['outsider', 'owner', 'member', 'admin'] as const) {
          if (who !== 'outsider' && method !== 'GET') continue;
          const response = await callRoute(route, method, { cookie: cookies[who], values, body: {} });
          const ok = who === 'outsider' ? response.status === 404 : response.status < 400;
          if (!ok) wrong.push(`${method} ${route.pattern} as ${who}: ${response.status}`);
          await response.body?.cancel(); // a download left open would hold its database connection
        }
      }
    }
    expect(wrong).toEqual([]);

    const list = routes.find((r) => r.pattern === '/api/studies')!;
    const listed = async (who: keyof typeof cookies) =>
      ((await (await callRoute(list, 'GET', { cookie: cookies[who] })).json()) as { studies: Array<{ id: string }> }).studies.map((s) => s.id);
    expect(await listed('outsider')).not.toContain(studyId);
    for (const who of ['owner', 'member', 'admin'] as const) expect(await listed(who)).toContain(studyId);
    expect(await prisma.study.findUniqueOrThrow({ where: { id: studyId }, select: { status: true } })).toEqual({ status: 'OPEN' });
  }, 120_000);
});
