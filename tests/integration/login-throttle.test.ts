import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { authorizeCredentials, LOGIN_FAILED_MESSAGE } from '@/lib/auth/login';
import { accountIpKey } from '@/lib/auth/rate-limit';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';

// A low account ceiling, so that three attacking addresses reach it (read once, at the first login).
process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT = '14';
const PASSWORD = 'right-password-1';

async function attempt(email: string, password: string, ip: string): Promise<string> {
  return authorizeCredentials(email, password, ip).then(
    () => 'signed in',
    (error: Error) => (error.message.startsWith('Too many failed attempts') ? 'throttled' : error.message),
  );
}

async function makeUser(label: string): Promise<string> {
  const email = `${label}-${Date.now()}@throttle.local`;
  await getPrisma().user.create({ data: { email, name: label, role: 'READER', passwordHash: await hashPassword(PASSWORD) } });
  return email;
}

const count = (outcomes: string[], outcome: string) => outcomes.filter((o) => o === outcome).length;

describe('login throttling holds under parallel attempts', () => {
  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
  });

  it('40 simultaneous wrong passwords for one account evaluate at most the limit (5)', async () => {
    const email = await makeUser('parallel');
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(email, `wrong-${i}`, '203.0.113.1')));
    expect(count(outcomes, LOGIN_FAILED_MESSAGE)).toBe(5);
    expect(count(outcomes, 'throttled')).toBe(35);
  });

  it('39 wrong passwords and then the right one, in parallel, do not sign in', async () => {
    const email = await makeUser('guess');
    const ip = '203.0.113.2';
    const wrong = Array.from({ length: 39 }, (_, i) => attempt(email, `wrong-${i}`, ip));
    // The right password follows while the wrong ones are still being checked (bcrypt takes ~70 ms each).
    for (;;) {
      const row = await getPrisma().loginThrottle.findUnique({ where: { key: accountIpKey(email, ip) } });
      if ((row?.attempts ?? 0) >= 5) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const right = await attempt(email, PASSWORD, ip);
    const outcomes = await Promise.all(wrong);
    expect(right).toBe('throttled');
    expect(count(outcomes, LOGIN_FAILED_MESSAGE)).toBe(5);
  });

  it('an attacker locks out only their own address; the owner signs in from theirs; a success clears its counter', async () => {
    const email = await makeUser('victim');
    const attacker = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(email, `wrong-${i}`, '198.51.100.66')));
    expect(count(attacker, 'throttled')).toBe(3);
    expect(await attempt(email, PASSWORD, '198.51.100.66')).toBe('throttled');
    // The owner, from another address, with 4 typos first.
    for (let i = 0; i < 4; i++) expect(await attempt(email, `typo-${i}`, '192.0.2.7')).toBe(LOGIN_FAILED_MESSAGE);
    expect(await attempt(email, PASSWORD, '192.0.2.7')).toBe('signed in');
    // The success cleared the owner's (account, IP) counter: five more typos are checked before the lock-out.
    const again = [];
    for (let i = 0; i < 6; i++) again.push(await attempt(email, `typo-again-${i}`, '192.0.2.7'));
    expect(again).toEqual([...Array(5).fill(LOGIN_FAILED_MESSAGE), 'throttled']);
  });

  it('the per-account ceiling stops guessing spread over many addresses', async () => {
    const email = await makeUser('botnet');
    const outcomes: string[] = [];
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      outcomes.push(...(await Promise.all(Array.from({ length: 5 }, (_, i) => attempt(email, `wrong-${i}`, ip)))));
    }
    expect(count(outcomes, LOGIN_FAILED_MESSAGE)).toBe(14);
    expect(await attempt(email, PASSWORD, '192.0.2.99')).toBe('throttled');
  });

  it('unknown accounts are throttled like known ones, with the same message', async () => {
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await attempt('nobody@throttle.local', `wrong-${i}`, '203.0.113.9'));
    expect(outcomes).toEqual([...Array(5).fill(LOGIN_FAILED_MESSAGE), 'throttled']);
  });
});
