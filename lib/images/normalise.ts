import { ImageError } from './errors';
import { DEFAULT_HU_OFFSET, describePolicy } from './policy';
import type { DecodedImage, PoolPolicy } from './types';

export interface NormalisedPixels {
  pixels: Uint8Array | Uint16Array;
  bitDepth: 8 | 16;
}

/**
 * Converts decoded pixels to the pool's stored form. Nothing is resized, rescaled or windowed:
 * any such step would be a choice made differently for real and synthetic images, so mismatches
 * are refused and the person uploading must prepare both classes the same way.
 */
export function normalise(decoded: DecodedImage, policy: PoolPolicy): NormalisedPixels {
  const pool = `the pool (${describePolicy(policy)})`;
  if (decoded.width !== policy.width || decoded.height !== policy.height) {
    throw new ImageError(
      'WRONG_DIMENSIONS',
      `image is ${decoded.width}×${decoded.height}; ${pool} requires ${policy.width}×${policy.height} (images are never resized)`,
    );
  }
  if (decoded.isHounsfield && policy.modality !== 'CT_HEAD') {
    throw new ImageError('WRONG_MODALITY', `DICOM is a CT (Hounsfield units); ${pool} holds chest radiographs`);
  }

  if (policy.bitDepth === 8) {
    if (decoded.isHounsfield) {
      throw new ImageError(
        'WRONG_BIT_DEPTH',
        `DICOM is CT in Hounsfield units; ${pool} stores 8-bit images. Window it to 8 bits the same way as the synthetic images and upload a PNG`,
      );
    }
    if (decoded.bitDepth !== 8) {
      throw new ImageError('WRONG_BIT_DEPTH', `image is 16-bit; ${pool} stores 8-bit images (16-bit values are never scaled down)`);
    }
    return { pixels: decoded.pixels as Uint8Array, bitDepth: 8 };
  }

  if (decoded.bitDepth !== 16) {
    throw new ImageError('WRONG_BIT_DEPTH', `image is 8-bit; ${pool} stores 16-bit images (8-bit values are never scaled up)`);
  }
  if (decoded.isHounsfield) {
    const offset = policy.huOffset ?? DEFAULT_HU_OFFSET;
    const out = new Uint16Array(decoded.pixels.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(65535, Math.max(0, decoded.pixels[i] + offset));
    return { pixels: out, bitDepth: 16 };
  }
  // A 16-bit CT pool stores HU + offset; raw DICOM values of another modality would mean something else.
  // A 16-bit PNG carries no units and is taken as already in the pool's stored form.
  if (decoded.format === 'dicom' && policy.modality === 'CT_HEAD') {
    throw new ImageError('WRONG_MODALITY', `DICOM is not a CT (no Hounsfield units); ${pool} stores CT values as HU + offset`);
  }
  return { pixels: decoded.pixels as Uint16Array, bitDepth: 16 };
}
