import { decode } from 'fast-png';
import type { CornerstoneImage } from 'cornerstone-core';

/**
 * Turns the canonical PNG of a pool into a cornerstone image. Every image, real or synthetic, takes
 * this one path. 16-bit CT pools store HU + huOffset, so the rescale intercept gives HU back.
 */
export function pngToCornerstoneImage(imageId: string, bytes: ArrayBuffer, display: { huOffset: number | null }): CornerstoneImage {
  const png = decode(new Uint8Array(bytes));
  if (png.channels !== 1) throw new Error('expected a greyscale image');
  const pixels = png.data as Uint8Array | Uint16Array;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const intercept = display.huOffset !== null ? -display.huOffset : 0;
  return {
    imageId,
    minPixelValue: min,
    maxPixelValue: max,
    slope: 1,
    intercept,
    windowCenter: (max + min) / 2 + intercept,
    windowWidth: Math.max(max - min, 1),
    getPixelData: () => pixels,
    rows: png.height,
    columns: png.width,
    height: png.height,
    width: png.width,
    color: false,
    columnPixelSpacing: 1,
    rowPixelSpacing: 1,
    invert: false,
    sizeInBytes: pixels.byteLength,
  };
}
