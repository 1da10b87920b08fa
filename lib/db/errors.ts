/**
 * True when an error means "the database cannot be reached right now" (restart, failover, network),
 * as opposed to a bug or bad input: callers answer 503 and clients retry.
 */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), 53300 (too many connections)
const UNREACHABLE_SQLSTATE = /^(08|57P0[123]|53300)/;
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_NODE_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code))) return true;
    const adapter = (e.meta as { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
    if (adapter?.kind && UNREACHABLE_KINDS.has(adapter.kind)) return true;
    if (adapter?.originalCode && UNREACHABLE_SQLSTATE.test(adapter.originalCode)) return true;
    if (typeof e.message === 'string' && /Can't reach database server|Connection terminated|terminating connection/i.test(e.message)) return true;
    e = e.cause as Record<string, unknown> | undefined;
  }
  return false;
}
