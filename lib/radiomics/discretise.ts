import type { DiscretisedImage, RadiomicsImage } from './types';

/**
 * Fixed bin size discretisation (IBSI 1, "fixed bin size", Q3PK).
 * - With `origin` (IBSI's X_gl,min, the lower bound of the intensity range): level(x) = floor((x − origin) / w) + 1.
 *   Levels then mean the same intensities in every image, which a comparison of image sets needs.
 * - Without it, pyradiomics's edges (what frd-score v0 uses): bins are multiples of w and the bin holding the
 *   image's lowest intensity is level 1, level(x) = floor(x / w) − floor(min / w) + 1. Every level of an image
 *   shifts by one when its minimum crosses a multiple of w (a flat background at 25 with ±2 noise does).
 * Both agree when the origin is the image minimum and a multiple of w (the IBSI phantom: w = 1, minimum 1).
 */
export function discretiseFixedWidth(image: RadiomicsImage, binWidth: number, origin?: number): DiscretisedImage {
  if (!(binWidth > 0) || !Number.isFinite(binWidth)) throw new Error(`bin width must be a positive number, got ${binWidth}`);
  const { width, height, pixels, mask } = image;
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`image size must be positive integers, got ${width}×${height}`);
  if (pixels.length !== n) throw new Error(`expected ${width}×${height} = ${n} pixels, got ${pixels.length}`);
  if (mask && mask.length !== n) throw new Error(`mask has ${mask.length} entries for ${n} pixels`);
  let min = Infinity;
  let roiCount = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const x = pixels[i];
    if (!Number.isFinite(x)) throw new Error(`pixel ${i} is not a finite number`);
    if (x < min) min = x;
    roiCount++;
  }
  if (roiCount === 0) throw new Error('the region of interest is empty');
  if (origin !== undefined && !(min >= origin)) throw new Error(`intensity ${min} lies below the discretisation origin ${origin}`);
  const levels = new Int32Array(n);
  let levelCount = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const level = origin === undefined ? Math.floor(pixels[i] / binWidth) - Math.floor(min / binWidth) + 1 : Math.floor((pixels[i] - origin) / binWidth) + 1;
    levels[i] = level;
    if (level > levelCount) levelCount = level;
  }
  return { width, height, levels, levelCount, roiCount };
}
