import { NextResponse } from 'next/server';
import { ZodError } from 'zod';
import { requestHost, trustedProxies } from '@/lib/auth/client-address';
import { currentUserFromRequest, sessionClaimsFromRequest, type AppRole, type SessionClaims, type SessionUser } from '@/lib/auth/guards';
import { checkedUser, sessionRefusal, type AccessOptions } from '@/lib/auth/session-user';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { DomainError, InvalidInputError, TooLargeError, type DomainErrorKind } from '@/lib/errors';
import { assertStudyAccess } from '@/lib/studies/team';

/**
 * Errors are values at the edges: domain code throws DomainError subclasses (lib/errors.ts, free of
 * Next) or ZodError; this file alone knows their HTTP statuses and turns them into JSON.
 */
const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media': 415,
  unprocessable: 422,
  internal: 500,
  unavailable: 503,
};

export function httpStatus(error: DomainError): number {
  return STATUS[error.kind];
}

/**
 * A small, uncached JSON reply. `no-transform` keeps the server's response compression off it (the
 * framework drops a stated Content-Length, so the size threshold never applies): gzipping every answer
 * acknowledgement cost ~7 % of the answer path's CPU for bodies of a few dozen bytes.
 */
export function jsonReply(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status, headers: { 'Cache-Control': 'no-store, no-transform' } });
}

export function jsonError(status: number, error: string, details?: Record<string, unknown>): NextResponse {
  return jsonReply({ error, ...details }, status);
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses cross-site state changes: the browser's Origin (or Referer) must be this host. SameSite cookies
 * already stop most CSRF; this closes the rest (e.g. same-site subdomains).
 */
export function isCrossSite(request: Request): boolean {
  if (!STATE_CHANGING.has(request.method)) return false;
  const source = request.headers.get('origin') ?? request.headers.get('referer');
  if (!source) return false;
  const host = requestHost((name) => request.headers.get(name), trustedProxies());
  try {
    return new URL(source).host !== host;
  } catch {
    return true;
  }
}

type Handler<C> = (request: Request, context: C & { user: SessionUser }) => Promise<Response>;

export type RouteOptions = AccessOptions;
export { PASSWORD_CHANGE_REQUIRED } from '@/lib/auth/session-user';

/** Every route handler goes through this: role check against the database, CSRF check, error mapping. */
export function withRole<C extends object>(roles: readonly AppRole[], handler: Handler<C>, options: RouteOptions = {}) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      if (isCrossSite(request)) return jsonError(403, 'Cross-site request refused.');
      const user = await currentUserFromRequest(request);
      const refusal = sessionRefusal(user, roles, options);
      if (refusal || !user) return errorResponse(refusal);
      return await handler(request, { ...context, user });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * withRole for a hot path whose handler checks the session's user itself, in the same database statement
 * that does its work (the answer path: lib/reading/store.ts recordAnswer, for `roles` ['READER']): the
 * handler gets the cookie's claims, unchecked. When the handler throws (a bad body, a refusal), withRole's
 * checks run first, so a request that withRole would refuse is refused the same way.
 */
export function withSessionClaims<C extends object>(
  roles: readonly AppRole[],
  handler: (request: Request, context: C & { session: SessionClaims }) => Promise<Response>,
  options: RouteOptions = {},
) {
  return async (request: Request, context: C): Promise<Response> => {
    let session: SessionClaims | null = null;
    try {
      if (isCrossSite(request)) return jsonError(403, 'Cross-site request refused.');
      session = await sessionClaimsFromRequest(request);
      if (!session) return jsonError(401, 'Sign in first.');
      return await handler(request, { ...context, session });
    } catch (error) {
      const refusal = session ? await checkedUser(session).then((user) => sessionRefusal(user, roles, options), () => null) : null;
      return errorResponse(refusal ?? error);
    }
  };
}

/**
 * For every route under /api/studies/[id]: coordinators and admins, and then only a study the user may see
 * (its owner, its team, any admin; lib/studies/team.ts): anyone else gets the 404 of a missing study.
 */
export function withStudyRole<C extends { params: Promise<{ id: string }> }>(handler: Handler<C>, options: RouteOptions = {}) {
  return withRole<C>(
    ['COORDINATOR', 'ADMIN'],
    async (request, context) => {
      await assertStudyAccess((await context.params).id, context.user);
      return handler(request, context);
    },
    options,
  );
}

export function errorResponse(error: unknown): Response {
  if (error instanceof DomainError) return jsonError(httpStatus(error), error.message, error.details);
  if (error instanceof ZodError) {
    const problems = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    return jsonError(400, `Invalid request: ${problems.join('; ')}`, { problems });
  }
  if (isDatabaseUnavailable(error)) {
    const response = jsonError(503, 'The database is unavailable for a moment; your request can be retried.');
    response.headers.set('Retry-After', '2');
    return response;
  }
  console.error(error);
  return jsonError(500, 'Something went wrong on the server. The error was logged.');
}

/** Largest JSON body a route reads unless it names its own limit (study designs are the biggest, a few kB). */
export const JSON_BODY_MAX_BYTES = 64 * 1024;

/**
 * The one place a route reads a JSON body: at most `maxBytes` (refused with 413 from Content-Length at once,
 * else while streaming, before anything is parsed or stored), UTF-8, JSON.
 */
export async function readJson(request: Request, maxBytes = JSON_BODY_MAX_BYTES): Promise<unknown> {
  const tooLarge = () => new TooLargeError(`The request body is larger than ${maxBytes.toLocaleString('en')} bytes; nothing was stored.`, { maxBytes });
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    throw new InvalidInputError('The request body must be JSON.');
  }
}
