// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, then one
// PackBits-compressed segment per byte plane (most significant byte first).
import { ImageError } from './errors';

/**
 * Decodes one RLE frame into little-endian samples (the layout of uncompressed DICOM), so the
 * caller reads them like native pixel data. Samples per pixel must be 1 (checked by the caller).
 */
export function decodeRleFrame(frame: Uint8Array, pixelCount: number, bytesPerSample: 1 | 2): Uint8Array {
  if (frame.length < 64) throw corrupt(`frame is ${frame.length} bytes, shorter than the 64-byte RLE header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== bytesPerSample) {
    throw corrupt(`it has ${segments} RLE segments; ${bytesPerSample} expected for ${8 * bytesPerSample}-bit greyscale`);
  }
  const out = new Uint8Array(pixelCount * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || end > frame.length || start > end) throw corrupt(`RLE segment ${s + 1} has invalid offsets`);
    // Segment 0 holds the most significant bytes; in little-endian output that is the last byte.
    const byteInSample = bytesPerSample - 1 - s;
    const written = unpackBits(frame.subarray(start, end), out, byteInSample, bytesPerSample, pixelCount);
    if (written !== pixelCount) {
      throw corrupt(`RLE segment ${s + 1} decodes to ${written} bytes, ${pixelCount} expected`);
    }
  }
  return out;
}

/** PackBits: n in 0..127 copies n+1 literal bytes, n in -127..-1 repeats the next byte 1-n times. */
function unpackBits(src: Uint8Array, out: Uint8Array, offset: number, stride: number, max: number): number {
  let i = 0;
  let n = 0;
  while (i < src.length && n < max) {
    const control = (src[i++] << 24) >> 24; // as signed int8
    if (control >= 0) {
      const count = control + 1;
      if (i + count > src.length || n + count > max) break;
      for (let k = 0; k < count; k++) out[offset + stride * n++] = src[i++];
    } else if (control !== -128) {
      const count = 1 - control;
      if (i >= src.length || n + count > max) break;
      const value = src[i++];
      for (let k = 0; k < count; k++) out[offset + stride * n++] = value;
    }
  }
  return n;
}

function corrupt(what: string): ImageError {
  return new ImageError('CORRUPT_DICOM', `DICOM pixel data is corrupt: ${what}`);
}
