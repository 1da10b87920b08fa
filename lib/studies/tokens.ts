import crypto from 'node:crypto';

/** 128 random bits, URL-safe: the only handle a reader's browser ever gets for an image. */
export function newItemToken(): string {
  return crypto.randomBytes(16).toString('base64url');
}

export function newStudySecret(): string {
  return crypto.randomBytes(32).toString('hex');
}

export function isItemToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(value);
}
