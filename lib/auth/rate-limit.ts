import { getPrisma } from '@/lib/db/client';
import { getConfig } from '@/lib/config';

/**
 * Login throttling, counted in Postgres (LoginThrottle) so that every replica sees the same counts.
 *
 * Policy: an attempt is *reserved* before its password is checked, under a row lock on each of its three
 * counters, so parallel attempts can never evaluate more passwords than the limits allow:
 * - per (account, IP): LOGIN_MAX_FAILURES_PER_ACCOUNT_IP (5) — the lock-out a guesser meets;
 * - per account: LOGIN_MAX_FAILURES_PER_ACCOUNT (50) — a ceiling over all IPs (a botnet), high enough that
 *   hammering an account from elsewhere does not lock its owner out from the owner's own address;
 * - per IP: LOGIN_MAX_FAILURES_PER_IP (20) — one address trying many accounts.
 * A success gives its reservation back and clears its (account, IP) counter. Unknown accounts count like
 * known ones, so the throttle reveals nothing about which e-mail addresses exist.
 */
export type Reservation = { isLimited: false; keys: string[] } | { isLimited: true; retryAfterMinutes: number };

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

export function accountIpKey(email: string, ip: string): string {
  return `account-ip:${email.trim().toLowerCase()}|${ip}`;
}

export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

/** Takes one attempt from each of the three counters, or none when any is spent (then the password must not be checked). */
export async function reserveLoginAttempt(email: string, ip: string): Promise<Reservation> {
  const config = getConfig();
  const limits = new Map<string, number>([
    [accountIpKey(email, ip), config.LOGIN_MAX_FAILURES_PER_ACCOUNT_IP],
    [accountKey(email), config.LOGIN_MAX_FAILURES_PER_ACCOUNT],
    [ipKey(ip), config.LOGIN_MAX_FAILURES_PER_IP],
  ]);
  // Sorted, so that concurrent reservations lock rows in one order (no deadlock).
  const keys = [...limits.keys()].sort();
  const windowMs = config.LOGIN_WINDOW_MINUTES * 60_000;
  return getPrisma().$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "LoginThrottle" (key) SELECT unnest(${keys}::text[]) ON CONFLICT (key) DO NOTHING`;
    const rows = await tx.$queryRaw<Array<{ key: string; windowStart: Date; attempts: number }>>`
      SELECT key, "windowStart", attempts FROM "LoginThrottle" WHERE key = ANY(${keys}::text[]) ORDER BY key FOR UPDATE`;
    const now = Date.now();
    const current = rows.map((row) => {
      const isExpired = now - row.windowStart.getTime() >= windowMs;
      return { key: row.key, attempts: isExpired ? 0 : row.attempts, windowStart: isExpired ? new Date(now) : row.windowStart };
    });
    const spent = current.filter((row) => row.attempts >= limits.get(row.key)!);
    if (spent.length) {
      const freeAt = Math.max(...spent.map((row) => row.windowStart.getTime() + windowMs));
      return { isLimited: true, retryAfterMinutes: Math.max(1, Math.ceil((freeAt - now) / 60_000)) };
    }
    for (const row of current) {
      await tx.$executeRaw`UPDATE "LoginThrottle" SET attempts = ${row.attempts + 1}, "windowStart" = ${row.windowStart} WHERE key = ${row.key}`;
    }
    return { isLimited: false, keys };
    // A burst of parallel logins queues for connections: wait for one rather than fail the login.
  }, { maxWait: 15_000, timeout: 15_000 });
}

/**
 * A successful login returns its reservation to the account and IP counters and clears its (account, IP)
 * counter; a failed one simply keeps it.
 */
export async function releaseLoginAttempt(email: string, ip: string): Promise<void> {
  const prisma = getPrisma();
  await prisma.$transaction([
    prisma.loginThrottle.deleteMany({ where: { key: accountIpKey(email, ip) } }),
    prisma.loginThrottle.updateMany({ where: { key: { in: [accountKey(email), ipKey(ip)] }, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } }),
  ]);
}
