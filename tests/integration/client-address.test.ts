import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { PEER_ADDRESS_HEADER } from '@/lib/auth/client-address';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { buildIfNeeded } from '@/scripts/lib/build';
import { signIn, startApp, type AppProcess } from '../support/app';

/**
 * The app's own server (scripts/server.ts) gives the handlers the socket's peer address: forwarded headers
 * count only from TRUSTED_PROXIES.
 */
const PASSWORD = 'client-address-password';
const SECRET = crypto.randomBytes(32).toString('hex');
let direct: AppProcess;
let proxied: AppProcess;

async function user(label: string, role: 'READER' | 'ADMIN' = 'READER'): Promise<string> {
  const email = `${label}-${Date.now()}@address.local`;
  await getPrisma().user.create({ data: { email, name: label, role, passwordHash: await hashPassword(PASSWORD) } });
  return email;
}

const outcome = (promise: Promise<string>) => promise.then(() => 'signed in', (e: Error) => (/Too many failed attempts/.test(e.message) ? 'throttled' : 'refused'));

describe('client address and forwarded headers', () => {
  beforeAll(async () => {
    await buildIfNeeded(() => undefined);
    await applyMigrations(process.env.DATABASE_URL!);
    direct = await startApp({ databaseUrl: process.env.DATABASE_URL!, secret: SECRET, env: { TRUSTED_PROXIES: '' } });
    proxied = await startApp({ databaseUrl: process.env.DATABASE_URL!, secret: SECRET, env: { TRUSTED_PROXIES: '127.0.0.1,::1' } });
  }, 600_000);
  afterAll(async () => {
    await direct?.stop();
    await proxied?.stop();
  });

  it('without trusted proxies, a rotating X-Forwarded-For (or a forged peer header) does not escape the throttle', async () => {
    const email = await user('rotating');
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(await outcome(signIn(direct.base, email, `wrong-${i}`, `198.51.100.${i + 1}`)));
    expect(results).toEqual([...Array(5).fill('refused'), 'throttled']);
    // The server replaces a peer-address header sent by the client with the socket's address.
    expect(await outcome(signIn(direct.base, email, PASSWORD, '192.0.2.200', { [PEER_ADDRESS_HEADER]: '192.0.2.200' }))).toBe('throttled');
  });

  it('without trusted proxies, X-Forwarded-Host cannot make a cross-site request look same-site', async () => {
    const email = await user('host', 'ADMIN');
    const cookie = await signIn(direct.base, email, PASSWORD);
    const response = await fetch(`${direct.base}/api/admin/users`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'csrf@address.local', name: 'x', role: 'ADMIN' }),
    });
    expect(response.status).toBe(403);
    expect(await getPrisma().user.count({ where: { email: 'csrf@address.local' } })).toBe(0);
  });

  it('behind a trusted proxy, X-Forwarded-For names the client: the owner signs in while an attacker is locked out', async () => {
    const email = await user('proxied');
    const attacker: string[] = [];
    for (let i = 0; i < 6; i++) attacker.push(await outcome(signIn(proxied.base, email, `wrong-${i}`, '203.0.113.50')));
    expect(attacker).toEqual([...Array(5).fill('refused'), 'throttled']);
    expect(await outcome(signIn(proxied.base, email, PASSWORD, '203.0.113.51'))).toBe('signed in');
  });
});
