import { getPrisma } from '@/lib/db/client';
import { getConfig } from '@/lib/config';

/**
 * Login throttling per account and per client IP, counted in Postgres (LoginAttempt) so that every
 * replica sees the same counts. Only failures count; unknown accounts count like known ones, so the
 * throttle reveals nothing about which e-mail addresses exist.
 */
export type Throttle = { isLimited: boolean; retryAfterMinutes: number };

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

export async function checkLoginThrottle(email: string, ip: string): Promise<Throttle> {
  const config = getConfig();
  const since = new Date(Date.now() - config.LOGIN_WINDOW_MINUTES * 60_000);
  const prisma = getPrisma();
  const [accountFailures, ipFailures] = await Promise.all([
    prisma.loginAttempt.count({ where: { key: accountKey(email), succeeded: false, createdAt: { gte: since } } }),
    prisma.loginAttempt.count({ where: { key: ipKey(ip), succeeded: false, createdAt: { gte: since } } }),
  ]);
  const isLimited =
    accountFailures >= config.LOGIN_MAX_FAILURES_PER_ACCOUNT || ipFailures >= config.LOGIN_MAX_FAILURES_PER_IP;
  return { isLimited, retryAfterMinutes: config.LOGIN_WINDOW_MINUTES };
}

export async function recordLoginAttempt(email: string, ip: string, succeeded: boolean): Promise<void> {
  const prisma = getPrisma();
  if (succeeded) {
    // A successful login clears the account's failures (not the IP's: one IP may try many accounts).
    await prisma.loginAttempt.deleteMany({ where: { key: accountKey(email), succeeded: false } });
    return;
  }
  await prisma.loginAttempt.createMany({
    data: [
      { key: accountKey(email), succeeded: false },
      { key: ipKey(ip), succeeded: false },
    ],
  });
}
