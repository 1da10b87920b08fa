import crypto from 'node:crypto';
import { jwtDecrypt } from 'jose';
import type { JWT, JWTDecodeParams } from 'next-auth/jwt';

/**
 * next-auth's session token (an encrypted JWT, `dir` + A256GCM) decoded with a key derived once per
 * secret: next-auth's own `decode` runs HKDF on every call, and the answer path decodes a token on every
 * request. Same key derivation (HKDF-SHA256, info "NextAuth.js Generated Encryption Key", 32 bytes) and
 * the same clock tolerance as next-auth v4's jwt/index.js, so both read each other's tokens.
 */
const derivedKeys = new Map<string, Uint8Array>();

function encryptionKey(secret: string | Buffer, salt: string): Uint8Array {
  const cacheKey = `${typeof secret === 'string' ? secret : secret.toString('base64')}\u0000${salt}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    key = new Uint8Array(crypto.hkdfSync('sha256', secret, salt, `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`, 32));
    if (derivedKeys.size > 16) derivedKeys.clear();
    derivedKeys.set(cacheKey, key);
  }
  return key;
}

export async function decodeSessionToken({ token, secret, salt = '' }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, encryptionKey(secret, salt), { clockTolerance: 15 });
  return payload as JWT;
}
