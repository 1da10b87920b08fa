import { neighbours8 } from './directions';
import { sizeMatrixFeatures } from './size-matrix';
import type { DiscretisedImage, FeatureValues } from './types';

/**
 * Grey level size zone matrix features (IBSI 1 §3.8; Thibault 2009): zones are 8-connected groups of
 * ROI pixels of one level (2D); one matrix per image, so no directional averaging.
 */
export function glszmFeatures(image: DiscretisedImage): FeatureValues {
  const { width, height, levels } = image;
  const n = width * height;
  const zone = new Int32Array(n); // 0: not yet visited
  const stack = new Int32Array(n);
  const zoneLevels = new Int32Array(n);
  const zoneSizes = new Int32Array(n);
  const neighbours = neighbours8(width, height);
  let zones = 0;
  for (let start = 0; start < n; start++) {
    const level = levels[start];
    if (level === 0 || zone[start] !== 0) continue;
    zones++;
    zone[start] = zones;
    let top = 0;
    stack[top++] = start;
    let size = 0;
    while (top > 0) {
      const at = stack[--top];
      size++;
      for (let k = at * 8, end = k + 8; k < end; k++) {
        const next = neighbours[k];
        if (next >= 0 && zone[next] === 0 && levels[next] === level) {
          zone[next] = zones;
          stack[top++] = next;
        }
      }
    }
    zoneLevels[zones - 1] = level;
    zoneSizes[zones - 1] = size;
  }
  const f = sizeMatrixFeatures(zoneLevels, zoneSizes, zones, image.roiCount);
  return {
    smallZoneEmphasis: f.smallEmphasis,
    largeZoneEmphasis: f.largeEmphasis,
    lowGreyLevelZoneEmphasis: f.lowGreyLevelEmphasis,
    highGreyLevelZoneEmphasis: f.highGreyLevelEmphasis,
    smallZoneLowGreyLevelEmphasis: f.smallLowGreyLevelEmphasis,
    smallZoneHighGreyLevelEmphasis: f.smallHighGreyLevelEmphasis,
    largeZoneLowGreyLevelEmphasis: f.largeLowGreyLevelEmphasis,
    largeZoneHighGreyLevelEmphasis: f.largeHighGreyLevelEmphasis,
    greyLevelNonUniformity: f.greyLevelNonUniformity,
    normalisedGreyLevelNonUniformity: f.normalisedGreyLevelNonUniformity,
    zoneSizeNonUniformity: f.sizeNonUniformity,
    normalisedZoneSizeNonUniformity: f.normalisedSizeNonUniformity,
    zonePercentage: f.percentage,
    greyLevelVariance: f.greyLevelVariance,
    zoneSizeVariance: f.sizeVariance,
    zoneSizeEntropy: f.entropy,
  };
}
