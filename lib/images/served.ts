import { decode as fastPngDecode } from 'fast-png';
import { crc32, PNG_SIGNATURE } from './png';

/**
 * The bytes a reader's browser receives for an image, and the headers that go with them.
 *
 * Blinding: the stored canonical PNG is compressed, so its length depends on the pixels and (in a
 * browser's network panel) could tell a real image from a synthetic one. What is served instead is
 * the same greyscale PNG with its image data in *stored* (uncompressed) deflate blocks and filter
 * type 0 on every row: its length is a function of width, height and bit depth only, so every image
 * of a pool reaches the reader at one byte length, and the bytes are a function of the pixels only.
 * Any PNG decoder reads it (the viewer uses fast-png). Written by hand because no PNG encoder we use
 * offers a fixed-length (stored-block) mode; the layout is RFC 1950/1951 and the PNG specification.
 */
const MAX_STORED_BLOCK = 65535;

/** Bytes of the raw image data: one filter byte plus the samples of each row. */
function rawLength(width: number, height: number, bitDepth: 8 | 16): number {
  return height * (1 + width * (bitDepth / 8));
}

function zlibLength(raw: number): number {
  const blocks = Math.max(1, Math.ceil(raw / MAX_STORED_BLOCK));
  return 2 + raw + 5 * blocks + 4; // header, data, block headers, Adler-32
}

/** The served length of every image of this size and bit depth. */
export function servedPngLength(width: number, height: number, bitDepth: 8 | 16): number {
  return PNG_SIGNATURE.length + (12 + 13) + (12 + zlibLength(rawLength(width, height, bitDepth))) + 12;
}

/** Encodes greyscale pixels as a fixed-length PNG (see the file comment). */
export function encodeServedPng(pixels: Uint8Array | Uint16Array, width: number, height: number, bitDepth: 8 | 16): Uint8Array {
  if ((bitDepth === 8) !== (pixels instanceof Uint8Array)) throw new Error(`pixel array does not match bit depth ${bitDepth}`);
  if (pixels.length !== width * height) throw new Error(`expected ${width * height} pixels, got ${pixels.length}`);
  const bytesPerSample = bitDepth / 8;
  const raw = new Uint8Array(rawLength(width, height, bitDepth));
  const rowBytes = 1 + width * bytesPerSample;
  for (let y = 0; y < height; y++) {
    let p = y * rowBytes + 1; // filter byte 0 (None) stays zero
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      if (bytesPerSample === 2) {
        raw[p++] = v >>> 8; // PNG samples are big-endian
        raw[p++] = v & 0xff;
      } else raw[p++] = v;
    }
  }

  const out = new Uint8Array(servedPngLength(width, height, bitDepth));
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE, 0);
  let pos = PNG_SIGNATURE.length;
  const chunk = (type: string, length: number, fill: (at: number) => void) => {
    view.setUint32(pos, length);
    for (let i = 0; i < 4; i++) out[pos + 4 + i] = type.charCodeAt(i);
    fill(pos + 8);
    view.setUint32(pos + 8 + length, crc32(out.subarray(pos + 4, pos + 8 + length)));
    pos += 12 + length;
  };
  chunk('IHDR', 13, (at) => {
    view.setUint32(at, width);
    view.setUint32(at + 4, height);
    out[at + 8] = bitDepth;
    out[at + 9] = 0; // greyscale
    out[at + 10] = 0; // deflate
    out[at + 11] = 0; // adaptive filtering (every row uses type 0)
    out[at + 12] = 0; // not interlaced
  });
  chunk('IDAT', zlibLength(raw.length), (at) => {
    out[at] = 0x78; // deflate, 32 KiB window
    out[at + 1] = 0x01; // no dictionary, fastest; (0x78 << 8 | 0x01) % 31 === 0
    let q = at + 2;
    const blocks = Math.max(1, Math.ceil(raw.length / MAX_STORED_BLOCK));
    for (let b = 0; b < blocks; b++) {
      const start = b * MAX_STORED_BLOCK;
      const len = Math.min(MAX_STORED_BLOCK, raw.length - start);
      out[q] = b === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00 (stored)
      out[q + 1] = len & 0xff;
      out[q + 2] = len >>> 8;
      out[q + 3] = ~len & 0xff;
      out[q + 4] = (~len >>> 8) & 0xff;
      out.set(raw.subarray(start, start + len), q + 5);
      q += 5 + len;
    }
    view.setUint32(q, adler32(raw));
  });
  chunk('IEND', 0, () => {});
  return out;
}

/** The served form of a stored canonical PNG (greyscale, 8 or 16 bit, as lib/images writes it). */
export function servedPngFromCanonical(stored: Uint8Array): Uint8Array {
  const png = fastPngDecode(stored);
  if (png.channels !== 1 || (png.depth !== 8 && png.depth !== 16)) {
    throw new Error(`stored image is not canonical greyscale (channels ${png.channels}, depth ${png.depth})`);
  }
  return encodeServedPng(png.data as Uint8Array | Uint16Array, png.width, png.height, png.depth);
}

/**
 * The headers of every image response to a reader: the same for every image of a pool (the length
 * is the served length above). No file name, Last-Modified, ETag or per-image cache policy.
 */
export function servedImageHeaders(byteLength: number): Record<string, string> {
  return { 'Content-Type': 'image/png', 'Cache-Control': 'private, no-store', 'Content-Length': String(byteLength) };
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const MOD = 65521;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552); // zlib's NMAX: the longest run before b can pass 2^32
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}
