import { decode as fastPngDecode } from 'fast-png';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeCanonicalPng, readPngChunks } from './png';
import { encodeServedPng, servedImageHeaders, servedPngFromCanonical, servedPngLength } from './served';

function noise(n: number, max: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % (max + 1);
  });
}

describe('served PNG (one length per size and bit depth)', () => {
  it('gives a flat image and a noisy one the same length, and both decode to their pixels', () => {
    const w = 64;
    const h = 48;
    const flat = new Uint8Array(w * h).fill(7);
    const busy = Uint8Array.from(noise(w * h, 255, 1));
    const a = encodeServedPng(flat, w, h, 8);
    const b = encodeServedPng(busy, w, h, 8);
    expect(a.length).toBe(b.length);
    expect(a.length).toBe(servedPngLength(w, h, 8));
    // The canonical (compressed) encoding differs a lot in length; the served one does not.
    expect(encodeCanonicalPng(flat, w, h, 8).length).toBeLessThan(encodeCanonicalPng(busy, w, h, 8).length / 4);
    expect(Array.from(fastPngDecode(b).data)).toEqual(Array.from(busy));
    expect(Array.from(fastPngDecode(a).data)).toEqual(Array.from(flat));
    expect(readPngChunks(b).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('writes 16-bit samples and several stored blocks that zlib itself inflates', () => {
    const w = 200;
    const h = 190; // 190 × (1 + 400) bytes > 65535: two stored blocks
    const pixels = Uint16Array.from(noise(w * h, 65535, 3));
    const bytes = encodeServedPng(pixels, w, h, 16);
    expect(bytes.length).toBe(servedPngLength(w, h, 16));
    const idat = readPngChunks(bytes).find((c) => c.type === 'IDAT')!.data;
    const raw = inflateSync(idat); // checks the Adler-32 too
    expect(raw.length).toBe(h * (1 + 2 * w));
    expect(raw[0]).toBe(0);
    expect((raw[1] << 8) | raw[2]).toBe(pixels[0]);
    const decoded = fastPngDecode(bytes);
    expect(decoded.depth).toBe(16);
    expect(Array.from(decoded.data)).toEqual(Array.from(pixels));
  });

  it('re-encodes a stored canonical PNG to the same pixels, with the same headers for every image', () => {
    const pixels = Uint8Array.from(noise(32 * 32, 255, 9));
    const served = servedPngFromCanonical(encodeCanonicalPng(pixels, 32, 32, 8));
    expect(Array.from(fastPngDecode(served).data)).toEqual(Array.from(pixels));
    expect(servedImageHeaders(served.length)).toEqual(servedImageHeaders(servedPngLength(32, 32, 8)));
    expect(() => encodeServedPng(new Uint8Array(10), 4, 4, 8)).toThrow(/expected 16 pixels/);
  });
});
