/**
 * Cheap features of a PNG: the container and its header, the chunk layout, the file size, and
 * simple pixel statistics. The leak audit reads them from the stored canonical bytes (where the
 * compressed size measures the pixels' complexity: readers never see it) and from the served bytes
 * (where header, layout and size must be one per pool).
 */
import { decode as fastPngDecode } from 'fast-png';
import { readPngChunks } from '@/lib/images/png';

/** Chunks a canonical image may hold; anything else is metadata (text, time, gamma, EXIF, …). */
export const CANONICAL_CHUNKS = new Set(['IHDR', 'IDAT', 'IEND']);

export const HISTOGRAM_BINS = 16;

export interface ImageFeatures {
  /** 'png', or 'unreadable' when the bytes do not parse as PNG. */
  container: 'png' | 'unreadable';
  width: number;
  height: number;
  bitDepth: number;
  /** PNG colour type (0 = greyscale); −1 when unreadable. */
  colourType: number;
  interlaced: boolean;
  /** Chunk types other than IHDR, IDAT and IEND, in file order. */
  metadataChunks: string[];
  byteSize: number;
  idatCount: number;
  idatBytes: number;
  /** Mean and standard deviation of the stored samples, scaled to 0..1 by the bit depth. */
  mean: number;
  sd: number;
  /** Share of samples in each of HISTOGRAM_BINS equal-width bins over 0..1. */
  histogram: number[];
}

/** The header facts that make up a pool's canonical encoding; two classes must share them. */
export function encodingSignature(f: Pick<ImageFeatures, 'container' | 'width' | 'height' | 'bitDepth' | 'colourType' | 'interlaced'>): string {
  if (f.container !== 'png') return f.container;
  const colour = f.colourType === 0 ? 'grey' : `colour type ${f.colourType}`;
  return `PNG ${f.width}×${f.height} ${f.bitDepth}-bit ${colour}${f.interlaced ? ' interlaced' : ''}`;
}

/** Features of one stored image; never throws (an unreadable file is itself a finding). */
export function imageFeatures(bytes: Uint8Array): ImageFeatures {
  const unreadable: ImageFeatures = {
    container: 'unreadable',
    width: 0,
    height: 0,
    bitDepth: 0,
    colourType: -1,
    interlaced: false,
    metadataChunks: [],
    byteSize: bytes.length,
    idatCount: 0,
    idatBytes: 0,
    mean: 0,
    sd: 0,
    histogram: new Array(HISTOGRAM_BINS).fill(0),
  };
  let chunks;
  try {
    chunks = readPngChunks(bytes);
  } catch {
    return unreadable;
  }
  const ihdr = chunks[0];
  if (ihdr?.type !== 'IHDR' || ihdr.data.length !== 13) return unreadable;
  const header = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
  const features: ImageFeatures = {
    ...unreadable,
    container: 'png',
    width: header.getUint32(0),
    height: header.getUint32(4),
    bitDepth: header.getUint8(8),
    colourType: header.getUint8(9),
    interlaced: header.getUint8(12) === 1,
    metadataChunks: chunks.filter((c) => !CANONICAL_CHUNKS.has(c.type)).map((c) => c.type),
  };
  for (const c of chunks) {
    if (c.type === 'IDAT') {
      features.idatCount++;
      features.idatBytes += c.data.length;
    }
  }
  try {
    const png = fastPngDecode(bytes);
    Object.assign(features, pixelStatistics(png.data as Uint8Array | Uint16Array, png.depth));
  } catch {
    return { ...features, container: 'unreadable' };
  }
  return features;
}

/** Mean, SD and histogram of the samples, scaled to 0..1 by the bit depth. */
export function pixelStatistics(samples: ArrayLike<number>, bitDepth: number): Pick<ImageFeatures, 'mean' | 'sd' | 'histogram'> {
  const max = 2 ** bitDepth - 1;
  const counts = new Float64Array(HISTOGRAM_BINS);
  let sum = 0;
  let sumSquares = 0;
  const n = samples.length;
  for (let i = 0; i < n; i++) {
    const v = samples[i] / max;
    sum += v;
    sumSquares += v * v;
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(v * HISTOGRAM_BINS))]++;
  }
  const mean = n ? sum / n : 0;
  const variance = n ? Math.max(0, sumSquares / n - mean * mean) : 0;
  return { mean, sd: Math.sqrt(variance), histogram: Array.from(counts, (c) => (n ? c / n : 0)) };
}

/** Names of the numeric features the classifier sees, in vector order. */
export const FEATURE_NAMES: readonly string[] = [
  'compressed size (stored; readers get one length)',
  'compressed image data (stored)',
  'IDAT chunk count',
  'mean intensity',
  'intensity SD',
  ...Array.from({ length: HISTOGRAM_BINS }, (_, b) => `histogram bin ${b + 1}/${HISTOGRAM_BINS}`),
];

export function featureVector(f: ImageFeatures): number[] {
  return [f.byteSize, f.idatBytes, f.idatCount, f.mean, f.sd, ...f.histogram];
}
