import { decode as fastPngDecode } from 'fast-png';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  badCrcInTextChunkPng,
  corruptPng,
  greyAlphaPng,
  greyAsRgbPng,
  greyPng,
  rgbPng,
  sixteenBitPng,
  testPattern,
  truncatedIdatPng,
  truncatedPng,
} from '../../scripts/make-image-fixtures';
import { ImageError } from './errors';
import { crc32, decodePng, encodeCanonicalPng, readPngChunks } from './png';

function refusal(fn: () => unknown): ImageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImageError) return e;
    throw e;
  }
  throw new Error('expected an ImageError, got success');
}

describe('crc32', () => {
  it('matches the standard check value and node:zlib where available', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const nodeCrc32 = (zlib as { crc32?: (d: Uint8Array) => number }).crc32; // Node >= 20.15
    if (nodeCrc32) expect(crc32(greyPng())).toBe(nodeCrc32(greyPng()));
  });
});

describe('decodePng', () => {
  const pattern = Uint8Array.from(testPattern(64, 64));

  it('decodes 8-bit greyscale exactly', () => {
    const img = decodePng(greyPng());
    expect(img).toMatchObject({ format: 'png', width: 64, height: 64, bitDepth: 8, isHounsfield: false });
    expect(img.pixels).toEqual(pattern);
  });

  it('decodes an Adam7-interlaced PNG to the same pixels', () => {
    expect(decodePng(greyPng(64, 64, { interlace: true })).pixels).toEqual(pattern);
  });

  it('decodes 16-bit greyscale exactly', () => {
    const img = decodePng(sixteenBitPng());
    expect(img.bitDepth).toBe(16);
    expect(img.pixels).toEqual(Uint16Array.from(testPattern(64, 64, 4000)));
  });

  it('accepts RGB whose channels are equal everywhere, as grey', () => {
    expect(decodePng(greyAsRgbPng()).pixels).toEqual(pattern);
  });

  it('accepts grey + alpha when alpha is fully opaque, dropping the alpha', () => {
    expect(decodePng(greyAlphaPng(255)).pixels).toEqual(pattern);
  });

  it('refuses genuine colour, naming the first coloured pixel', () => {
    const e = refusal(() => decodePng(rgbPng()));
    expect(e.code).toBe('COLOUR_NOT_ALLOWED');
    expect(e.message).toMatch(/PNG is colour \(RGB\).*\(255, 0, 0\); this pool requires greyscale/);
  });

  it('refuses translucent pixels', () => {
    const e = refusal(() => decodePng(greyAlphaPng(128)));
    expect(e.code).toBe('TRANSPARENCY_NOT_ALLOWED');
    expect(e.message).toMatch(/alpha 128/);
  });

  it('refuses a flipped byte inside IDAT by its CRC', () => {
    const e = refusal(() => decodePng(corruptPng()));
    expect(e.code).toBe('CORRUPT_PNG');
    expect(e.message).toMatch(/IDAT chunk fails its CRC check/);
  });

  it('refuses a file cut inside IDAT', () => {
    const e = refusal(() => decodePng(truncatedPng()));
    expect(e.code).toBe('CORRUPT_PNG');
    expect(e.message).toMatch(/truncated inside the IDAT chunk/);
  });

  it('refuses an IDAT whose zlib stream is cut, even though every CRC is right', () => {
    const e = refusal(() => decodePng(truncatedIdatPng()));
    expect(e.code).toBe('CORRUPT_PNG');
    expect(e.message).toMatch(/image data is truncated or damaged/);
  });

  it('checks CRCs that fast-png on its own does not (why readPngChunks exists)', () => {
    const bytes = badCrcInTextChunkPng();
    expect(() => fastPngDecode(bytes)).not.toThrow(); // default: no CRC check at all
    expect(refusal(() => decodePng(bytes)).message).toMatch(/tEXt chunk fails its CRC check/);
  });

  it('refuses sub-8-bit PNGs and bad dimensions before decoding', () => {
    const chunks = readPngChunks(greyPng());
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const tiny = encodeCanonicalPng(new Uint8Array(8 * 8).fill(3), 8, 8, 8);
    const e = refusal(() => decodePng(tiny));
    expect(e.code).toBe('WRONG_DIMENSIONS');
    expect(e.message).toBe('image is 8×8; each side must be between 16 and 4096 pixels');
  });
});

describe('encodeCanonicalPng', () => {
  it('writes IHDR, IDAT and IEND only, and round-trips 8- and 16-bit pixels', () => {
    const p8 = Uint8Array.from(testPattern(32, 16));
    const b8 = encodeCanonicalPng(p8, 32, 16, 8);
    expect(readPngChunks(b8).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(decodePng(b8).pixels).toEqual(p8);
    const p16 = Uint16Array.from(testPattern(32, 16, 65535));
    expect(decodePng(encodeCanonicalPng(p16, 32, 16, 16)).pixels).toEqual(p16);
  });

  it('is byte-identical for identical pixels', () => {
    const p = Uint8Array.from(testPattern(64, 64));
    expect(encodeCanonicalPng(p, 64, 64, 8)).toEqual(encodeCanonicalPng(p.slice(), 64, 64, 8));
  });
});
