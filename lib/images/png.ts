import { decode as fastPngDecode, encode as fastPngEncode } from 'fast-png';
import { inflateSync } from 'node:zlib';
import { ImageError, describeThrown } from './errors';
import type { DecodedImage } from './types';
import { validateDimensions } from './validate';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

// Table CRC-32 because package.json allows Node 20.9, and zlib.crc32 only arrived in Node 20.15.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

/**
 * Splits a PNG into chunks, checking every CRC and that the file reaches IEND. fast-png only
 * checks CRCs after it has already inflated a chunk, so damage shows up there as an obscure
 * zlib error; checking first gives the person uploading a message they can act on.
 */
export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (!hasPngSignature(bytes)) throw corrupt('the PNG signature is damaged');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let pos = PNG_SIGNATURE.length;
  for (;;) {
    if (pos + 12 > bytes.length) throw corrupt('the file is truncated: it ends before the IEND chunk');
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw corrupt(`invalid chunk type at byte ${pos + 4}`);
    const end = pos + 8 + length;
    if (length > 0x7fffffff || end + 4 > bytes.length) {
      throw corrupt(`the file is truncated inside the ${type} chunk`);
    }
    if (crc32(bytes.subarray(pos + 4, end)) !== view.getUint32(end)) {
      throw corrupt(`the ${type} chunk fails its CRC check (the file is damaged)`);
    }
    chunks.push({ type, data: bytes.subarray(pos + 8, end) });
    pos = end + 4;
    if (type === 'IEND') return chunks; // bytes after IEND are ignored, as every viewer does
  }
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const COLOUR_TYPES: Record<number, { name: string; channels: number }> = {
  0: { name: 'greyscale', channels: 1 },
  2: { name: 'colour (RGB)', channels: 3 },
  3: { name: 'palette (indexed colour)', channels: 1 },
  4: { name: 'greyscale with alpha', channels: 2 },
  6: { name: 'colour with alpha (RGBA)', channels: 4 },
};

/**
 * Decodes a PNG to greyscale. Rule: the container's colour type does not matter, the pixels do.
 * RGB, RGBA, grey+alpha and palette PNGs are accepted when every pixel is grey (R = G = B) and
 * fully opaque, because many tools save grey images that way; the canonical re-encode makes them
 * indistinguishable from a greyscale PNG. A single coloured or translucent pixel refuses the file.
 */
export function decodePng(bytes: Uint8Array): DecodedImage {
  const chunks = readPngChunks(bytes);
  const ihdr = chunks[0];
  if (ihdr.type !== 'IHDR' || ihdr.data.length !== 13) throw corrupt('the first chunk is not a valid IHDR');
  const h = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
  const width = h.getUint32(0);
  const height = h.getUint32(4);
  const depth = h.getUint8(8);
  const colourType = h.getUint8(9);
  const interlaced = h.getUint8(12) === 1;
  const colour = COLOUR_TYPES[colourType];
  if (!colour) throw corrupt(`unknown colour type ${colourType}`);
  validateDimensions(width, height);
  if (depth !== 8 && depth !== 16) {
    throw new ImageError('WRONG_BIT_DEPTH', `PNG is ${depth}-bit; only 8-bit or 16-bit greyscale PNGs are accepted`);
  }
  if (chunks.some((c) => c.type === 'acTL')) {
    throw new ImageError('UNSUPPORTED_PNG', 'PNG is animated (APNG); upload a single still image');
  }
  if (chunks.some((c) => c.type === 'tRNS')) {
    throw new ImageError('TRANSPARENCY_NOT_ALLOWED', 'PNG declares transparency (tRNS chunk); re-save it without transparency');
  }
  checkImageDataLength(chunks, width, height, depth * colour.channels, interlaced);

  let png;
  try {
    png = fastPngDecode(bytes);
  } catch (e) {
    throw corrupt(`it could not be decoded (${describeThrown(e)})`, e);
  }
  const pixels = toGrey(png.data as Uint8Array | Uint16Array, colourType, depth, png.palette, width);
  return { format: 'png', width, height, bitDepth: depth, pixels, isHounsfield: false };
}

/**
 * Inflates the image data once to prove it is complete: fast-png silently fills a short stream
 * with zeros, which would turn a truncated upload into a half-black image. maxOutputLength also
 * stops a decompression bomb at the size the header promised.
 */
function checkImageDataLength(chunks: PngChunk[], width: number, height: number, bitsPerPixel: number, interlaced: boolean) {
  const idat = chunks.filter((c) => c.type === 'IDAT').map((c) => c.data);
  if (idat.length === 0) throw corrupt('it has no image data (IDAT chunk)');
  const expected = rawDataLength(width, height, bitsPerPixel, interlaced);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(Buffer.concat(idat), { maxOutputLength: expected });
  } catch (e) {
    throw corrupt(`its image data is truncated or damaged (${describeThrown(e)})`, e);
  }
  if (inflated.length !== expected) {
    throw corrupt(`its image data holds ${inflated.length} bytes where the header implies ${expected} (truncated)`);
  }
}

function rawDataLength(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rowBytes = (w: number) => 1 + Math.ceil((w * bitsPerPixel) / 8); // +1: filter-type byte
  if (!interlaced) return height * rowBytes(width);
  // Adam7: seven sub-images, each with its own rows (x0, y0, dx, dy).
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const hh = Math.ceil((height - y0) / dy);
    if (w > 0 && hh > 0) total += hh * rowBytes(w);
  }
  return total;
}

function toGrey(
  data: Uint8Array | Uint16Array,
  colourType: number,
  depth: number,
  palette: number[][] | undefined,
  width: number,
): Uint8Array | Uint16Array {
  const channels = COLOUR_TYPES[colourType].channels;
  if (colourType === 0) return data;
  const n = data.length / channels;
  const out = depth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  const opaque = depth === 16 ? 0xffff : 0xff;
  const where = (i: number) => `pixel (${i % width}, ${Math.floor(i / width)})`;
  for (let i = 0; i < n; i++) {
    let r: number, g: number, b: number;
    let a = opaque;
    if (colourType === 3) {
      const entry = palette?.[data[i]];
      if (!entry) throw corrupt(`${where(i)} refers to palette entry ${data[i]}, which does not exist`);
      [r, g, b] = entry;
    } else if (colourType === 4) {
      r = g = b = data[2 * i];
      a = data[2 * i + 1];
    } else {
      r = data[i * channels];
      g = data[i * channels + 1];
      b = data[i * channels + 2];
      if (channels === 4) a = data[i * channels + 3];
    }
    if (a !== opaque) {
      throw new ImageError(
        'TRANSPARENCY_NOT_ALLOWED',
        `PNG has transparent pixels (${where(i)} has alpha ${a}); re-save it as an opaque greyscale image`,
      );
    }
    if (r !== g || g !== b) {
      throw new ImageError(
        'COLOUR_NOT_ALLOWED',
        `PNG is ${COLOUR_TYPES[colourType].name} and ${where(i)} is not grey (${r}, ${g}, ${b}); this pool requires greyscale`,
      );
    }
    out[i] = r;
  }
  return out;
}

// Blinding: every image of every class is written by this one function with these fixed
// settings, so file size, compression and chunk layout cannot tell real from synthetic.
// Only IHDR, IDAT and IEND are written: no text, time, physical size, gamma or EXIF chunks.
// fast-png compresses with fflate, pure JavaScript, so the bytes are the same on every machine
// (node:zlib's output can vary with the Node build); they do depend on the pinned fast-png and
// fflate versions, and a pinned-hash test catches an upgrade that changes them.
const CANONICAL_ZLIB = { level: 6, mem: 8 } as const;

export function encodeCanonicalPng(pixels: Uint8Array | Uint16Array, width: number, height: number, bitDepth: 8 | 16): Uint8Array {
  if ((bitDepth === 8) !== (pixels instanceof Uint8Array)) throw new Error(`pixel array does not match bit depth ${bitDepth}`);
  const bytes = fastPngEncode({ width, height, data: pixels, depth: bitDepth, channels: 1 }, { zlib: CANONICAL_ZLIB });
  const types = readPngChunks(bytes).map((c) => c.type).join(',');
  if (types !== 'IHDR,IDAT,IEND') throw new Error(`canonical encoder wrote unexpected chunks: ${types}`);
  return bytes;
}

function corrupt(what: string, cause?: unknown): ImageError {
  return new ImageError('CORRUPT_PNG', `PNG is corrupt: ${what}; re-export the image and upload it again`, { cause });
}
