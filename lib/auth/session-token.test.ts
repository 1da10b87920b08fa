import { decode, encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { decodeSessionToken } from './session-token';

const SECRET = 'a-test-secret-of-reasonable-length-0123456789';
const claims = (uid: string) => ({ uid, sessionVersion: 3, role: 'READER' as const, mustChangePassword: false });

describe('decodeSessionToken (next-auth session tokens, key derived once)', () => {
  it("reads tokens next-auth wrote, and next-auth's decode agrees", async () => {
    const token = await encode({ token: claims('user-1'), secret: SECRET });
    const ours = await decodeSessionToken({ token, secret: SECRET });
    expect(ours).toMatchObject({ uid: 'user-1', sessionVersion: 3, role: 'READER' });
    expect(ours).toEqual(await decode({ token, secret: SECRET }));
    // Twice: the second call uses the cached key.
    expect(await decodeSessionToken({ token, secret: SECRET })).toEqual(ours);
  });

  it('refuses a token under another secret, a tampered token and an expired one; no token is no session', async () => {
    const token = await encode({ token: claims('user-1'), secret: SECRET });
    await expect(decodeSessionToken({ token, secret: `${SECRET}-other` })).rejects.toThrow();
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await expect(decodeSessionToken({ token: tampered, secret: SECRET })).rejects.toThrow();
    const expired = await encode({ token: claims('user-1'), secret: SECRET, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret: SECRET })).rejects.toThrow();
    expect(await decodeSessionToken({ token: undefined, secret: SECRET })).toBeNull();
  });

  it('keeps salted tokens apart (another derived key)', async () => {
    const token = await encode({ token: claims('user-2'), secret: SECRET, salt: 'other-cookie' });
    expect(await decodeSessionToken({ token, secret: SECRET, salt: 'other-cookie' })).toMatchObject({ uid: 'user-2' });
    await expect(decodeSessionToken({ token, secret: SECRET })).rejects.toThrow();
  });
});
