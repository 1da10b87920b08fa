import type { DiscretisedImage, FeatureValues, RadiomicsImage } from './types';

/**
 * First-order features of the ROI (IBSI 1 §3.3 intensity-based statistics on the raw intensities, and
 * the two §3.4 histogram features pyradiomics's `firstorder` class also has: entropy and uniformity of
 * the discretised levels). Moments are population moments (1/N); kurtosis is excess kurtosis;
 * percentiles interpolate linearly between order statistics (numpy's default). pyradiomics differs in
 * kurtosis (not excess) and adds `voxelArrayShift` to energy and RMS (0 in frd-score v0).
 */
export function firstOrderFeatures(image: RadiomicsImage, discretised: DiscretisedImage): FeatureValues {
  const values = roiValues(image);
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let sumSquares = 0;
  for (const x of sorted) {
    sum += x;
    sumSquares += x * x;
  }
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let absDeviation = 0;
  for (const x of sorted) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
    absDeviation += Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const median = percentile(sorted, 50);
  const p10 = percentile(sorted, 10);
  const p25 = percentile(sorted, 25);
  const p75 = percentile(sorted, 75);
  const p90 = percentile(sorted, 90);

  // Robust mean absolute deviation: about the mean of the values between the 10th and 90th percentiles.
  let robustSum = 0;
  let robustCount = 0;
  for (const x of sorted) {
    if (x >= p10 && x <= p90) {
      robustSum += x;
      robustCount++;
    }
  }
  const robustMean = robustSum / robustCount;
  let robustDeviation = 0;
  let medianDeviation = 0;
  for (const x of sorted) {
    if (x >= p10 && x <= p90) robustDeviation += Math.abs(x - robustMean);
    medianDeviation += Math.abs(x - median);
  }

  const counts = new Float64Array(discretised.levelCount + 1);
  for (let i = 0; i < discretised.levels.length; i++) if (discretised.levels[i] > 0) counts[discretised.levels[i]]++;
  let entropy = 0;
  let uniformity = 0;
  for (let g = 1; g <= discretised.levelCount; g++) {
    const p = counts[g] / n;
    if (p > 0) entropy -= p * Math.log2(p);
    uniformity += p * p;
  }

  return {
    mean,
    variance: m2,
    skewness: m2 === 0 ? 0 : m3 / m2 ** 1.5,
    kurtosis: m2 === 0 ? 0 : m4 / (m2 * m2) - 3,
    median,
    minimum: sorted[0],
    percentile10: p10,
    percentile90: p90,
    maximum: sorted[n - 1],
    interquartileRange: p75 - p25,
    range: sorted[n - 1] - sorted[0],
    meanAbsoluteDeviation: absDeviation / n,
    robustMeanAbsoluteDeviation: robustDeviation / robustCount,
    medianAbsoluteDeviation: medianDeviation / n,
    coefficientOfVariation: Math.sqrt(m2) / mean,
    quartileCoefficientOfDispersion: (p75 - p25) / (p75 + p25),
    energy: sumSquares,
    rootMeanSquare: Math.sqrt(sumSquares / n),
    entropy,
    uniformity,
  };
}

function roiValues(image: RadiomicsImage): number[] {
  const out: number[] = [];
  for (let i = 0; i < image.pixels.length; i++) if (!image.mask || image.mask[i]) out.push(image.pixels[i]);
  return out;
}

/** Linear interpolation between closest ranks (numpy.percentile's default, Hyndman & Fan type 7). */
function percentile(sorted: Float64Array, q: number): number {
  const position = ((sorted.length - 1) * q) / 100;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
