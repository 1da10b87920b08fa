import { neighbours8 } from './directions';
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
  const neighbours = neighbours8(width, height);
  let count = 0;
  for (let at = 0; at < width * height; at++) {
    const level = levels[at];
    if (level === 0) continue;
    let dependence = 1;
    for (let k = at * 8, end = k + 8; k < end; k++) {
      const next = neighbours[k];
      if (next >= 0 && levels[next] === level) dependence++;
    }
    pixelLevels[count] = level;
    dependences[count] = dependence;
    count++;
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
