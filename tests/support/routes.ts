import fs from 'node:fs';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';
import { getAuthSecret } from '@/lib/auth/secret';
import { getPrisma } from '@/lib/db/client';

/**
 * Route handlers called in-process, with a real session cookie (a next-auth JWT signed with the app's
 * secret) and the real database: for access tests over every route in app/api without building the app.
 */
export type ApiRoute = { file: string; pattern: string; methods: string[] };

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function apiRoutes(): ApiRoute[] {
  const found: ApiRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, [...segments, entry.name]);
      else if (entry.name === 'route.ts') {
        const source = fs.readFileSync(full, 'utf8');
        const methods = METHODS.filter((m) => new RegExp(`export (?:const|async function|function) ${m}\\b|as ${m}\\b`).test(source));
        found.push({ file: full, pattern: `/${segments.join('/')}`, methods });
      }
    }
  };
  walk(path.resolve('app', 'api'), ['api']);
  return found;
}

export async function sessionCookie(userId: string): Promise<string> {
  const user = await getPrisma().user.findUniqueOrThrow({ where: { id: userId } });
  const token = await encode({
    token: { uid: user.id, role: user.role, sessionVersion: user.sessionVersion, mustChangePassword: user.mustChangePassword, email: user.email },
    secret: getAuthSecret(),
  });
  return `next-auth.session-token=${token}`;
}

export type CallOptions = { cookie?: string; values?: Record<string, string>; body?: unknown; rawBody?: BodyInit; headers?: Record<string, string> };

/** Calls a route's handler like Next would: a Request for the filled-in URL, params as a promise. */
export async function callRoute(route: ApiRoute, method: string, options: CallOptions = {}): Promise<Response> {
  const values = options.values ?? {};
  const params: Record<string, string | string[]> = {};
  const url = route.pattern.replace(/\[\.\.\.(\w+)\]|\[(\w+)\]/g, (_, rest: string | undefined, name: string | undefined) => {
    const key = (name ?? rest)!;
    const value = values[key] ?? 'unknown-id';
    params[key] = rest ? value.split('/') : value;
    return value;
  });
  const module = (await import(route.file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
  const handler = module[method];
  if (!handler) throw new Error(`${route.file} exports no ${method}`);
  const body = method === 'GET' ? undefined : (options.rawBody ?? JSON.stringify(options.body ?? {}));
  // Next hands handlers a NextRequest (next-auth reads the session cookie from its `cookies`).
  const request = new NextRequest(`http://localhost${url}`, {
    method,
    headers: { host: 'localhost', 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    body: body as BodyInit | undefined,
    ...(body !== undefined && typeof body !== 'string' ? { duplex: 'half' } : {}),
  } as ConstructorParameters<typeof NextRequest>[1]);
  return handler(request, { params: Promise.resolve(params) });
}
