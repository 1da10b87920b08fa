import fs from 'node:fs';
import path from 'node:path';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { apiSession, BASE_URL, createStudy, E2E_READER_PASSWORD, type CreatedStudy } from './helpers';

/**
 * The access matrix: every page and API route found in app/ (so a new one is never forgotten), for
 * every method it exports, against anonymous, reader, reader of another study, coordinator (the study's
 * owner), coordinator of another team, admin, and an admin who still has a temporary password.
 * The expected outcome follows from the route's area; the whole table is printed.
 */
type Who = 'anonymous' | 'reader' | 'otherReader' | 'coordinator' | 'otherTeam' | 'admin' | 'temporary';
const WHO: Who[] = ['anonymous', 'reader', 'otherReader', 'coordinator', 'otherTeam', 'admin', 'temporary'];
type Route = { file: string; pattern: string; kind: 'page' | 'api'; methods: string[] };

function routes(): Route[] {
  const found: Route[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const isGroup = entry.name.startsWith('(') && entry.name.endsWith(')');
        walk(full, isGroup ? segments : [...segments, entry.name]);
      } else if (entry.name === 'page.tsx' || entry.name === 'route.ts') {
        const source = fs.readFileSync(full, 'utf8');
        const methods =
          entry.name === 'page.tsx'
            ? ['GET']
            : [...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
        const exported = /export \{[^}]*\}/.exec(source)?.[0] ?? '';
        for (const m of exported.matchAll(/as (GET|POST|PUT|PATCH|DELETE)\b/g)) methods.push(m[1]);
        // /api/bench/*: the benchmark's bare baseline, 404 for everyone unless BENCH_ROUTES=1 (bench-routes.test.ts).
        if (segments[0] === 'api' && segments[1] === 'bench') continue;
        found.push({ file: path.relative('.', full), pattern: `/${segments.join('/')}`, kind: entry.name === 'page.tsx' ? 'page' : 'api', methods });
      }
    }
  };
  walk(path.resolve('app'), []);
  return found;
}

/** Who may use a route: decided by its area, the same rule proxy.ts and the handlers enforce. */
function allowed(pattern: string): Who[] | 'public' | 'next-auth' {
  if (pattern.startsWith('/api/auth')) return 'next-auth';
  if (['/', '/login', '/forbidden', '/api/health'].includes(pattern)) return 'public';
  if (pattern.startsWith('/admin') || pattern.startsWith('/api/admin')) return ['admin'];
  if (pattern.startsWith('/studies') || pattern.startsWith('/api/studies')) return ['coordinator', 'otherTeam', 'admin'];
  if (pattern.startsWith('/read') || pattern.startsWith('/api/reading')) return ['reader', 'otherReader'];
  if (pattern.startsWith('/account') || pattern.startsWith('/api/account')) return ['reader', 'otherReader', 'coordinator', 'otherTeam', 'admin', 'temporary'];
  throw new Error(`No access rule for ${pattern}: add one to e2e/access.spec.ts (and to the app's guards)`);
}

test('every route × every role gets what its area allows', async () => {
  test.setTimeout(240_000);
  const study: CreatedStudy = createStudy('E2E access', 2, { imagesPerReader: 8, maxRunLength: 3 });
  const [owner, other] = study.readers;
  const sessions = {
    anonymous: await request.newContext({ baseURL: BASE_URL }),
    reader: await apiSession(owner.email, E2E_READER_PASSWORD, '192.0.2.10'),
    otherReader: await apiSession(other.email, E2E_READER_PASSWORD, '192.0.2.11'),
    coordinator: await apiSession('coordinator@demo.local', undefined, '192.0.2.12'),
    admin: await apiSession('admin@demo.local', undefined, '192.0.2.13'),
  } as Record<Who, APIRequestContext>;
  // A coordinator who chose their own password but is on no team of this study; an admin who has not yet.
  const stamp = Date.now();
  const made = async (role: string, label: string) =>
    (await (await sessions.admin.post('/api/admin/users', { data: { email: `${label}-${stamp}@e2e.local`, name: label, role }, headers: { origin: BASE_URL } })).json()) as { temporaryPassword: string };
  const otherTeam = await made('COORDINATOR', 'other-team');
  const first = await apiSession(`other-team-${stamp}@e2e.local`, otherTeam.temporaryPassword, '192.0.2.14');
  expect((await first.post('/api/account/password', { data: { currentPassword: otherTeam.temporaryPassword, newPassword: 'other-team-password-1' }, headers: { origin: BASE_URL } })).status()).toBe(200);
  await first.dispose();
  sessions.otherTeam = await apiSession(`other-team-${stamp}@e2e.local`, 'other-team-password-1', '192.0.2.14');
  const temporary = await made('ADMIN', 'temporary');
  sessions.temporary = await apiSession(`temporary-${stamp}@e2e.local`, temporary.temporaryPassword, '192.0.2.15');
  const state = await (await sessions.reader.get(`/api/reading/${owner.assignmentId}`)).json();
  const values: Record<string, string> = { assignmentId: owner.assignmentId, token: state.items[0].token, id: study.studyId };

  // Well-formed bodies where a route has one, so that object-level checks are reached (not just validation).
  const bodies: Record<string, unknown> = {
    '/api/reading/[assignmentId]/answers': { token: values.token, position: 0, call: 'REAL', confidence: 3, idempotencyKey: 'access-matrix-key' },
  };
  const table: string[] = [`${'route'.padEnd(44)} ${'method'.padEnd(7)} ${WHO.map((w) => w.padEnd(12)).join('')}`];
  const failures: string[] = [];
  const all = routes();
  expect(all.length).toBeGreaterThan(15);
  for (const route of all) {
    const rule = allowed(route.pattern);
    if (rule === 'next-auth') continue;
    const url = route.pattern.replace(/\[\.\.\.(\w+)\]|\[(\w+)\]/g, (_, rest, name) => values[name ?? rest] ?? 'unknown-id');
    for (const method of route.methods) {
      const cells: string[] = [];
      for (const who of WHO) {
        const response = await sessions[who].fetch(url, {
          method,
          maxRedirects: 0,
          data: method === 'GET' ? undefined : (bodies[route.pattern] ?? {}),
          headers: method === 'GET' ? undefined : { origin: BASE_URL },
        });
        const status = response.status();
        const location = response.headers()['location'] ?? '';
        const outcome = status >= 300 && status < 400 ? `${status}→${location.replace(/^https?:\/\/[^/]+/, '').split('?')[0]}` : String(status);
        cells.push(outcome.padEnd(12));
        // The temporary account is an admin: it passes the admin's role checks, then meets the password change.
        const isAllowed = rule === 'public' || rule.includes(who) || (who === 'temporary' && rule.includes('admin'));
        let ok: boolean;
        const isStudyObject = /^\/(api\/)?studies\/\[id\]/.test(route.pattern);
        if (route.kind === 'api') {
          if (rule === 'public') ok = status < 400;
          else if (who === 'anonymous') ok = status === 401;
          // A temporary password opens only the password change.
          else if (who === 'temporary') ok = route.pattern === '/api/account/password' ? status === 400 : status === 403;
          else if (!isAllowed) ok = status === 403;
          // Another team's study answers like a missing one.
          else if (who === 'otherTeam' && isStudyObject) ok = status === 404;
          // An allowed role reaches the handler: anything but 401/403. Object-level: another reader's session is 404.
          else if (who === 'otherReader' && /assignmentId|token/.test(route.pattern)) ok = status === 404;
          else ok = status !== 401 && status !== 403 && status < 500;
        } else {
          if (rule === 'public') ok = status < 400;
          else if (who === 'anonymous') ok = status === 307 && location.includes('/login');
          else if (!isAllowed) ok = status === 307 && location.includes('/forbidden');
          else if (who === 'temporary') ok = route.pattern === '/account/password' ? status === 200 : status === 307 && location.includes('/account/password');
          else if (who === 'otherTeam' && isStudyObject) ok = status === 404;
          else if (who === 'otherReader' && /assignmentId/.test(route.pattern)) ok = status === 404;
          else ok = status === 200 || status === 404;
        }
        if (!ok) failures.push(`${method} ${route.pattern} as ${who}: ${outcome}`);
      }
      table.push(`${route.pattern.padEnd(44)} ${method.padEnd(7)} ${cells.join('')}`);
    }
  }
  console.log(`Access matrix (${all.length} routes):\n${table.join('\n')}`);
  expect(failures).toEqual([]);
  for (const context of Object.values(sessions)) await context.dispose();
});
