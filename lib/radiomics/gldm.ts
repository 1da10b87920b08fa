import { sizeMatrixFeatures } from './size-matrix';
import type { DiscretisedImage, FeatureValues } from './types';

/**
 * Grey level dependence matrix features (pyradiomics `gldm`; IBSI 1 §3.11 NGLDM, Sun & Wee 1983) with
 * α = 0 and Chebyshev distance 1 in the plane: a pixel's dependence count is 1 + the number of its
 * 8 neighbours inside the ROI with the same level. One matrix per image.
 */
export function gldmFeatures(image: DiscretisedImage): FeatureValues {
  const { width, height, levels } = image;
  const pixelLevels = new Int32Array(image.roiCount);
  const dependences = new Int32Array(image.roiCount);
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const level = levels[y * width + x];
      if (level === 0) continue;
      let dependence = 1;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dy === 0 && dx === 0) || nx < 0 || nx >= width) continue;
          if (levels[ny * width + nx] === level) dependence++;
        }
      }
      pixelLevels[count] = level;
      dependences[count] = dependence;
      count++;
    }
  }
  const f = sizeMatrixFeatures(pixelLevels, dependences, count, image.roiCount);
  return {
    lowDependenceEmphasis: f.smallEmphasis,
    highDependenceEmphasis: f.largeEmphasis,
    lowGreyLevelCountEmphasis: f.lowGreyLevelEmphasis,
    highGreyLevelCountEmphasis: f.highGreyLevelEmphasis,
    lowDependenceLowGreyLevelEmphasis: f.smallLowGreyLevelEmphasis,
    lowDependenceHighGreyLevelEmphasis: f.smallHighGreyLevelEmphasis,
    highDependenceLowGreyLevelEmphasis: f.largeLowGreyLevelEmphasis,
    highDependenceHighGreyLevelEmphasis: f.largeHighGreyLevelEmphasis,
    greyLevelNonUniformity: f.greyLevelNonUniformity,
    normalisedGreyLevelNonUniformity: f.normalisedGreyLevelNonUniformity,
    dependenceCountNonUniformity: f.sizeNonUniformity,
    normalisedDependenceCountNonUniformity: f.normalisedSizeNonUniformity,
    greyLevelVariance: f.greyLevelVariance,
    dependenceCountVariance: f.sizeVariance,
    dependenceCountEntropy: f.entropy,
    dependenceCountEnergy: f.energy,
  };
}
