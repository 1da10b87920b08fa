import { z } from 'zod';
import type { DecodedImage, Modality, PoolPolicy } from './types';
import { MAX_SIDE, MIN_SIDE } from './validate';

export const DEFAULT_HU_OFFSET = 1024;

const side = z.number().int().min(MIN_SIDE).max(MAX_SIDE);

/** For policies arriving as JSON (API, database); processImage also checks its argument with it. */
export const poolPolicySchema = z.object({
  modality: z.enum(['CXR', 'CT_HEAD']),
  width: side,
  height: side,
  bitDepth: z.union([z.literal(8), z.literal(16)]),
  huOffset: z.number().int().min(0).max(65535).optional(),
  maxInputBytes: z.number().int().positive().optional(),
});

/**
 * The policy a new pool takes from its first image: that image's size and depth, and for CT in
 * Hounsfield units a 16-bit pool with the default offset (air, -1024 HU, stored as 0).
 */
export function inferPolicy(decoded: DecodedImage, modality: Modality): PoolPolicy {
  const policy: PoolPolicy = { modality, width: decoded.width, height: decoded.height, bitDepth: decoded.bitDepth };
  if (decoded.isHounsfield) policy.huOffset = DEFAULT_HU_OFFSET;
  return policy;
}

/** Short label used in messages, e.g. "CT_HEAD 64×64 8-bit". */
export function describePolicy(policy: PoolPolicy): string {
  return `${policy.modality} ${policy.width}×${policy.height} ${policy.bitDepth}-bit`;
}
