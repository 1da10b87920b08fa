/**
 * Bringing two images to where they can be compared: the same size (area averaging, so a 256×256 pool
 * image and a 64×64 training image are compared at 64×64), then the same intensity scale.
 */

/** Side of the common size: the registered training sets are 64×64. */
export const COMMON_SIZE = 64;

/**
 * Resamples a greyscale image to size×size by area averaging: each output pixel is the mean of the input
 * area it covers (fractional overlaps weighted). Exact box averaging for integer factors; no ringing.
 */
export function resampleArea(pixels: ArrayLike<number>, width: number, height: number, size = COMMON_SIZE): Float32Array {
  if (pixels.length !== width * height) throw new Error(`expected ${width}×${height} pixels, got ${pixels.length}`);
  const xWeights = areaWeights(width, size);
  const yWeights = areaWeights(height, size);
  // Rows first (height × size), then columns.
  const rows = new Float64Array(height * size);
  for (let y = 0; y < height; y++) {
    for (let ox = 0; ox < size; ox++) {
      let sum = 0;
      for (const [ix, w] of xWeights[ox]) sum += pixels[y * width + ix] * w;
      rows[y * size + ox] = sum;
    }
  }
  const out = new Float32Array(size * size);
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      let sum = 0;
      for (const [iy, w] of yWeights[oy]) sum += rows[iy * size + ox] * w;
      out[oy * size + ox] = sum;
    }
  }
  return out;
}

/** For each output index, the input indices it covers and their weights (summing to 1). */
function areaWeights(inputLength: number, outputLength: number): Array<Array<[number, number]>> {
  const scale = inputLength / outputLength;
  const weights: Array<Array<[number, number]>> = [];
  for (let o = 0; o < outputLength; o++) {
    const start = o * scale;
    const end = start + scale;
    const list: Array<[number, number]> = [];
    for (let i = Math.floor(start); i < Math.min(inputLength, Math.ceil(end)); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 1e-12) list.push([i, overlap / scale]);
    }
    weights.push(list);
  }
  return weights;
}

/**
 * Intensity normalisation for Pearson's r: zero mean, unit (population) standard deviation, so that the
 * correlation of two vectors is their dot product divided by n. A constant image has no defined r; it
 * becomes the zero vector (r = 0 with everything).
 */
export function zScore(values: ArrayLike<number>, out: Float32Array = new Float32Array(values.length)): Float32Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2;
  const sd = Math.sqrt(variance / n);
  if (!(sd > 1e-9)) {
    out.fill(0);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = (values[i] - mean) / sd;
  return out;
}

/** Min–max scaling to [0, 1] (SSIM's intensity normalisation, data range 1); a constant image becomes 0. */
export function minMaxScale(values: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  const out = new Float64Array(values.length);
  const range = hi - lo;
  if (range > 0) for (let i = 0; i < values.length; i++) out[i] = (values[i] - lo) / range;
  return out;
}

/**
 * Pearson's correlation coefficient of two equally long vectors (reference implementation, double
 * precision; the search uses the equivalent dot product of z-scored vectors).
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) throw new Error('pearson needs two vectors of the same length ≥ 2');
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
