import type { DiscretisedImage, RadiomicsImage } from './types';

/**
 * Fixed bin size discretisation (IBSI 1, "fixed bin size", Q3PK) with pyradiomics's bin edges, the
 * discretisation frd-score uses: bins are multiples of `binWidth` on the intensity axis, and the bin
 * holding the lowest ROI intensity is level 1:
 *   level(x) = floor(x / w) − floor(min / w) + 1.
 * IBSI anchors the first bin at the ROI minimum instead (floor((x − min) / w) + 1); both agree when
 * the minimum is a multiple of w (the 8-bit and HU images here: min 0 is common) or when w = 1.
 */
export function discretiseFixedWidth(image: RadiomicsImage, binWidth: number): DiscretisedImage {
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
  const base = Math.floor(min / binWidth);
  const levels = new Int32Array(n);
  let levelCount = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const level = Math.floor(pixels[i] / binWidth) - base + 1;
    levels[i] = level;
    if (level > levelCount) levelCount = level;
  }
  return { width, height, levels, levelCount, roiCount };
}
