import { averageFeatures, DIRECTIONS_2D } from './directions';
import { sizeMatrixFeatures } from './size-matrix';
import type { DiscretisedImage, FeatureValues } from './types';

/**
 * Grey level run length matrix features (IBSI 1 §3.7; Galloway 1975): runs of equal level along each
 * of the four in-plane directions, features per direction, averaged ("2D, averaged"; pyradiomics's
 * default aggregation too). A run stops at the ROI border.
 */
export function glrlmFeatures(image: DiscretisedImage): FeatureValues {
  const { width, height, levels } = image;
  const runLevels = new Int32Array(width * height);
  const runLengths = new Int32Array(width * height);
  const perDirection: FeatureValues[] = [];
  for (const [dy, dx] of DIRECTIONS_2D) {
    let runs = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const level = levels[y * width + x];
        if (level === 0) continue;
        const py = y - dy;
        const px = x - dx;
        // Only the first pixel of a run starts one: its predecessor is outside the image, the ROI or the level.
        if (py >= 0 && py < height && px >= 0 && px < width && levels[py * width + px] === level) continue;
        let length = 1;
        let ny = y + dy;
        let nx = x + dx;
        while (ny >= 0 && ny < height && nx >= 0 && nx < width && levels[ny * width + nx] === level) {
          length++;
          ny += dy;
          nx += dx;
        }
        runLevels[runs] = level;
        runLengths[runs] = length;
        runs++;
      }
    }
    const f = sizeMatrixFeatures(runLevels, runLengths, runs, image.roiCount);
    perDirection.push({
      shortRunsEmphasis: f.smallEmphasis,
      longRunsEmphasis: f.largeEmphasis,
      lowGreyLevelRunEmphasis: f.lowGreyLevelEmphasis,
      highGreyLevelRunEmphasis: f.highGreyLevelEmphasis,
      shortRunLowGreyLevelEmphasis: f.smallLowGreyLevelEmphasis,
      shortRunHighGreyLevelEmphasis: f.smallHighGreyLevelEmphasis,
      longRunLowGreyLevelEmphasis: f.largeLowGreyLevelEmphasis,
      longRunHighGreyLevelEmphasis: f.largeHighGreyLevelEmphasis,
      greyLevelNonUniformity: f.greyLevelNonUniformity,
      normalisedGreyLevelNonUniformity: f.normalisedGreyLevelNonUniformity,
      runLengthNonUniformity: f.sizeNonUniformity,
      normalisedRunLengthNonUniformity: f.normalisedSizeNonUniformity,
      runPercentage: f.percentage,
      greyLevelVariance: f.greyLevelVariance,
      runLengthVariance: f.sizeVariance,
      runEntropy: f.entropy,
    });
  }
  return averageFeatures(perDirection);
}
