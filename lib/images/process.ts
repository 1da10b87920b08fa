import { createHash } from 'node:crypto';
import { decode } from './decode';
import { normalise } from './normalise';
import { encodeCanonicalPng } from './png';
import { poolPolicySchema } from './policy';
import type { PoolPolicy, ProcessedImage } from './types';
import { validateInput, validateNotBlank } from './validate';

/**
 * The one path every image takes into a pool, whatever its class or origin (upload, import,
 * generator): decode → check → convert to the pool's form → canonical PNG → sha256.
 * Deterministic: the same input and policy always give the same bytes and hash.
 */
export function processImage(bytes: Uint8Array, policy: PoolPolicy): ProcessedImage {
  const pool = poolPolicySchema.parse(policy); // a bad policy is a programming error, not the uploader's
  validateInput(bytes, pool.maxInputBytes);
  const decoded = decode(bytes);
  const { pixels, bitDepth } = normalise(decoded, pool);
  validateNotBlank(pixels);
  const canonical = encodeCanonicalPng(pixels, pool.width, pool.height, bitDepth);
  const result: ProcessedImage = {
    bytes: canonical,
    width: pool.width,
    height: pool.height,
    bitDepth,
    sha256: sha256Hex(canonical),
    mean: meanOf(pixels),
    sourceFormat: decoded.format,
  };
  if (decoded.sourcePatientId !== undefined) result.sourcePatientId = decoded.sourcePatientId;
  return result;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function meanOf(pixels: Uint8Array | Uint16Array): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) sum += pixels[i];
  return sum / pixels.length;
}
