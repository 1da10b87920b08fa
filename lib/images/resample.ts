import { ImageError } from './errors';

/** The one filter every rung of a resolution ladder is made with. */
export const RESAMPLE_FILTER = 'area-average';

/**
 * Downsamples greyscale pixels by area averaging: each output pixel is the mean of the source
 * area it covers, partial source pixels weighted by the overlap (a box filter of the output pixel's
 * footprint; for an integer factor f, the plain mean of each f × f block). Computed in exact
 * integer arithmetic — in units of 1/(new size) every overlap is a whole number — and rounded half
 * up, so a reference implementation reproduces it bit for bit (fixtures/make_resample_reference.py,
 * numpy). Pillow's BOX resize computes the same average in fixed point and differs by at most 1.
 *
 * Hand-written because no npm image library does exact area averaging of 16-bit greyscale without
 * native code.
 */
export function resampleArea<T extends Uint8Array | Uint16Array>(
  pixels: T,
  width: number,
  height: number,
  newWidth: number,
  newHeight: number,
): T {
  if (pixels.length !== width * height) {
    throw new ImageError('WRONG_DIMENSIONS', `resampleArea: ${pixels.length} pixels do not make ${width}×${height}`);
  }
  if (!(Number.isInteger(newWidth) && Number.isInteger(newHeight) && newWidth >= 1 && newHeight >= 1 && newWidth <= width && newHeight <= height)) {
    throw new ImageError('WRONG_DIMENSIONS', `resampleArea: ${newWidth}×${newHeight} is not a size between 1×1 and ${width}×${height}`);
  }
  const xs = overlaps(width, newWidth);
  const ys = overlaps(height, newHeight);
  // Row pass: each source row → newWidth sums (whole numbers well below 2^53).
  const rows = new Float64Array(height * newWidth);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    for (let i = 0; i < newWidth; i++) {
      let s = 0;
      for (const [k, w] of xs[i]) s += w * pixels[src + k];
      rows[y * newWidth + i] = s;
    }
  }
  const out = new (pixels.constructor as { new (n: number): T })(newWidth * newHeight);
  // Total weight of an output pixel: width (x overlaps in units of 1/newWidth) × height.
  const denominator = width * height;
  for (let j = 0; j < newHeight; j++) {
    for (let i = 0; i < newWidth; i++) {
      let s = 0;
      for (const [k, w] of ys[j]) s += w * rows[k * newWidth + i];
      out[j * newWidth + i] = Math.floor((2 * s + denominator) / (2 * denominator));
    }
  }
  return out;
}

/**
 * For each output index, the source indexes it covers and the overlap lengths, in units of 1/to
 * of a source pixel: source k spans [k·to, (k+1)·to), output i spans [i·from, (i+1)·from).
 */
function overlaps(from: number, to: number): Array<Array<[number, number]>> {
  const result: Array<Array<[number, number]>> = [];
  for (let i = 0; i < to; i++) {
    const start = i * from;
    const end = (i + 1) * from;
    const list: Array<[number, number]> = [];
    for (let k = Math.floor(start / to); k * to < end; k++) {
      const w = Math.min(end, (k + 1) * to) - Math.max(start, k * to);
      if (w > 0) list.push([k, w]);
    }
    result.push(list);
  }
  return result;
}
