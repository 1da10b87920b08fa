import { minMaxScale } from './normalise';

/**
 * Structural similarity index (SSIM; Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 13(4), 2004), the mean over
 * every 7×7 window that fits in the image, with sample (co)variances, K1 = 0.01, K2 = 0.03 and data range 1
 * on min–max scaled intensities. This equals scikit-image's `structural_similarity(a, b, data_range=1)`
 * with its defaults (win_size 7, uniform window, use_sample_covariance) on the scaled images, which is what
 * the fixtures in fixtures/ssim.json were computed with.
 *
 * Window sums come from summed-area tables, so a 64×64 pair costs a few microseconds per window row.
 */
export const SSIM_WINDOW = 7;
const K1 = 0.01;
const K2 = 0.03;

export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number, window = SSIM_WINDOW): number {
  if (a.length !== width * height || b.length !== width * height) throw new Error('ssim: images must both be width × height');
  if (width < window || height < window) throw new Error(`ssim: images must be at least ${window}×${window}`);
  const x = minMaxScale(a);
  const y = minMaxScale(b);
  const sx = integral(width, height, (i) => x[i]);
  const sy = integral(width, height, (i) => y[i]);
  const sxx = integral(width, height, (i) => x[i] * x[i]);
  const syy = integral(width, height, (i) => y[i] * y[i]);
  const sxy = integral(width, height, (i) => x[i] * y[i]);
  const n = window * window;
  const c1 = K1 ** 2;
  const c2 = K2 ** 2;
  const stride = width + 1;
  const boxSum = (table: Float64Array, top: number, left: number) =>
    table[(top + window) * stride + left + window] - table[top * stride + left + window] - table[(top + window) * stride + left] + table[top * stride + left];
  let total = 0;
  let count = 0;
  for (let top = 0; top + window <= height; top++) {
    for (let left = 0; left + window <= width; left++) {
      const mx = boxSum(sx, top, left) / n;
      const my = boxSum(sy, top, left) / n;
      const vx = (boxSum(sxx, top, left) - n * mx * mx) / (n - 1);
      const vy = (boxSum(syy, top, left) - n * my * my) / (n - 1);
      const cxy = (boxSum(sxy, top, left) - n * mx * my) / (n - 1);
      total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      count++;
    }
  }
  return total / count;
}

/** Summed-area table with a zero first row and column: table[(y+1)(w+1) + x+1] = Σ f over [0..y]×[0..x]. */
function integral(width: number, height: number, f: (i: number) => number): Float64Array {
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += f(y * width + x);
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + rowSum;
    }
  }
  return table;
}
