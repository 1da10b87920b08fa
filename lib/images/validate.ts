import { ImageError } from './errors';
import type { GreyPixels } from './types';

export const DEFAULT_MAX_INPUT_BYTES = 50 * 1024 * 1024;
export const MIN_SIDE = 16;
export const MAX_SIDE = 4096;

/** Checks that need only the raw bytes; run before any parsing. */
export function validateInput(bytes: Uint8Array, maxInputBytes = DEFAULT_MAX_INPUT_BYTES): void {
  if (bytes.length === 0) throw new ImageError('EMPTY', 'file is empty (0 bytes)');
  if (bytes.length > maxInputBytes) {
    throw new ImageError(
      'TOO_LARGE',
      `file is ${formatMB(bytes.length)}; the limit is ${formatMB(maxInputBytes)}`,
    );
  }
}

/**
 * Called by the decoders as soon as a header gives the size, before pixel buffers are allocated,
 * so a forged header cannot make us allocate gigabytes.
 */
export function validateDimensions(width: number, height: number): void {
  const ok = (n: number) => Number.isInteger(n) && n >= MIN_SIDE && n <= MAX_SIDE;
  if (!ok(width) || !ok(height)) {
    throw new ImageError(
      'WRONG_DIMENSIONS',
      `image is ${width}×${height}; each side must be between ${MIN_SIDE} and ${MAX_SIDE} pixels`,
    );
  }
}

/**
 * A constant image carries no information for a reader and is usually a failed export
 * (all-black render, padding-only CT slice); checked on the canonical pixels, i.e. what readers see.
 */
export function validateNotBlank(pixels: GreyPixels): void {
  const first = pixels[0];
  for (let i = 1; i < pixels.length; i++) if (pixels[i] !== first) return;
  throw new ImageError('BLANK_IMAGE', `image is blank: every pixel has the value ${first}`);
}

function formatMB(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
