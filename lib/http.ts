import { NextResponse } from 'next/server';
import { ZodError } from 'zod';
import { currentUserFromRequest, type AppRole, type SessionUser } from '@/lib/auth/guards';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { DomainError, InvalidInputError, type DomainErrorKind } from '@/lib/errors';

/**
 * Errors are values at the edges: domain code throws DomainError subclasses (lib/errors.ts, free of
 * Next) or ZodError; this file alone knows their HTTP statuses and turns them into JSON.
 */
const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
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

export function jsonError(status: number, error: string, details?: Record<string, unknown>): NextResponse {
  return NextResponse.json({ error, ...details }, { status, headers: { 'Cache-Control': 'no-store' } });
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
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(source).host !== host;
  } catch {
    return true;
  }
}

type Handler<C> = (request: Request, context: C & { user: SessionUser }) => Promise<Response>;

/** Every route handler goes through this: role check against the database, CSRF check, error mapping. */
export function withRole<C extends object>(roles: readonly AppRole[], handler: Handler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      if (isCrossSite(request)) return jsonError(403, 'Cross-site request refused.');
      const user = await currentUserFromRequest(request);
      if (!user) return jsonError(401, 'Sign in first.');
      if (!roles.includes(user.role)) return jsonError(403, 'Your role may not do this.');
      return await handler(request, { ...context, user });
    } catch (error) {
      return errorResponse(error);
    }
  };
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

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new InvalidInputError('The request body must be JSON.');
  }
}
