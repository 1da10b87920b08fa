import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { decode, encodeCanonical } from '@/lib/images';
import { cachedTrainingSet, trainingImage } from '@/lib/privacy';

/**
 * PNGs for the admin pages (never for readers): an image's canonical PNG from the image store, and the
 * images of registered training sets that the memorisation check matched. A 16-bit canonical image (CT in
 * HU + offset) would look black in a browser, so `display` stretches it min–max to 8 bits for the eye.
 */
export async function imagePng(imageId: string, options: { display?: boolean } = {}): Promise<Uint8Array | null> {
  const image = await getPrisma().image.findUnique({ where: { id: imageId }, select: { storageKey: true, bitDepth: true } });
  if (!image) return null;
  const bytes = await new PgImageStore().get(image.storageKey);
  if (!bytes) return null;
  return options.display && image.bitDepth === 16 ? stretchTo8Bit(bytes) : bytes;
}

export function stretchTo8Bit(png: Uint8Array): Uint8Array {
  const decoded = decode(png);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of decoded.pixels) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo || 1;
  const pixels = Uint8Array.from(decoded.pixels, (v) => Math.round(((v - lo) / range) * 255));
  return encodeCanonical(pixels, decoded.width, decoded.height, 8);
}

/** Image `index` of training set `name` as a PNG, or null when there is no such set or image. */
export function trainingSetPng(name: string, index: number): Uint8Array | null {
  const dir = getConfig().trainingSetsDir;
  if (!dir) return null;
  const set = cachedTrainingSet(dir, name);
  if (!set || !Number.isInteger(index) || index < 0 || index >= set.count) return null;
  return encodeCanonical(trainingImage(set, index), set.side, set.side, 8);
}

export function pngResponseHeaders(bytes: Uint8Array): Record<string, string> {
  // No file name, no Last-Modified; private: admin-only content.
  return { 'Content-Type': 'image/png', 'Content-Length': String(bytes.length), 'Cache-Control': 'private, max-age=300' };
}
