import { averageFeatures, DIRECTIONS_2D } from './directions';
import type { DiscretisedImage, FeatureValues } from './types';

/**
 * Grey level co-occurrence matrix features (IBSI 1 §3.6; Haralick 1973): one symmetric GLCM per
 * direction at distance 1, features computed per matrix and averaged ("2D, averaged", which is also
 * pyradiomics's default aggregation). Entropies in bits; N_g = IBSI's level count (absent levels
 * included; pyradiomics drops empty levels, which changes only the two normalised inverse differences).
 */
export function glcmFeatures(image: DiscretisedImage): FeatureValues {
  const { width, height, levels, levelCount: ng } = image;
  const perDirection: FeatureValues[] = [];
  for (const [dy, dx] of DIRECTIONS_2D) {
    const matrix = new Float64Array(ng * ng);
    let pairs = 0;
    for (let y = 0; y < height; y++) {
      const y2 = y + dy;
      if (y2 < 0 || y2 >= height) continue;
      for (let x = 0; x < width; x++) {
        const x2 = x + dx;
        if (x2 < 0 || x2 >= width) continue;
        const a = levels[y * width + x];
        const b = levels[y2 * width + x2];
        if (a === 0 || b === 0) continue;
        matrix[(a - 1) * ng + (b - 1)]++;
        matrix[(b - 1) * ng + (a - 1)]++;
        pairs += 2;
      }
    }
    if (pairs === 0) continue;
    for (let k = 0; k < matrix.length; k++) matrix[k] /= pairs;
    perDirection.push(glcmMatrixFeatures(matrix, ng));
  }
  return averageFeatures(perDirection);
}

/** Features of one normalised, symmetric GLCM `p` (ng × ng, level i at index i − 1). */
export function glcmMatrixFeatures(p: Float64Array, ng: number): FeatureValues {
  const marginal = new Float64Array(ng + 1); // p_i, by level
  const diff = new Float64Array(ng); // p_{i−j}(k), k = 0..ng−1
  const sum = new Float64Array(2 * ng + 1); // p_{i+j}(k), k = 2..2ng
  let jointMaximum = 0;
  let jointAverage = 0;
  let jointEntropy = 0;
  let angularSecondMoment = 0;
  let contrast = 0;
  let dissimilarity = 0;
  let inverseDifference = 0;
  let normalisedInverseDifference = 0;
  let inverseDifferenceMoment = 0;
  let normalisedInverseDifferenceMoment = 0;
  let inverseVariance = 0;
  let autocorrelation = 0;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ng; j++) {
      const pij = p[(i - 1) * ng + (j - 1)];
      if (pij === 0) continue;
      const d = Math.abs(i - j);
      marginal[i] += pij;
      diff[d] += pij;
      sum[i + j] += pij;
      if (pij > jointMaximum) jointMaximum = pij;
      jointAverage += i * pij;
      jointEntropy -= pij * Math.log2(pij);
      angularSecondMoment += pij * pij;
      contrast += d * d * pij;
      dissimilarity += d * pij;
      inverseDifference += pij / (1 + d);
      normalisedInverseDifference += pij / (1 + d / ng);
      inverseDifferenceMoment += pij / (1 + d * d);
      normalisedInverseDifferenceMoment += pij / (1 + (d * d) / (ng * ng));
      if (d > 0) inverseVariance += pij / (d * d);
      autocorrelation += i * j * pij;
    }
  }
  const mu = jointAverage;
  let jointVariance = 0;
  let clusterTendency = 0;
  let clusterShade = 0;
  let clusterProminence = 0;
  let covariance = 0;
  let hxy1 = 0;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ng; j++) {
      const pij = p[(i - 1) * ng + (j - 1)];
      const pipj = marginal[i] * marginal[j];
      if (pij > 0 && pipj > 0) hxy1 -= pij * Math.log2(pipj);
      if (pij === 0) continue;
      const s = i + j - 2 * mu;
      jointVariance += (i - mu) * (i - mu) * pij;
      clusterTendency += s * s * pij;
      clusterShade += s * s * s * pij;
      clusterProminence += s * s * s * s * pij;
      covariance += (i - mu) * (j - mu) * pij;
    }
  }
  let hx = 0;
  let hxy2 = 0;
  for (let i = 1; i <= ng; i++) {
    if (marginal[i] > 0) hx -= marginal[i] * Math.log2(marginal[i]);
    for (let j = 1; j <= ng; j++) {
      const pipj = marginal[i] * marginal[j];
      if (pipj > 0) hxy2 -= pipj * Math.log2(pipj);
    }
  }
  let differenceAverage = 0;
  let differenceEntropy = 0;
  for (let k = 0; k < ng; k++) {
    differenceAverage += k * diff[k];
    if (diff[k] > 0) differenceEntropy -= diff[k] * Math.log2(diff[k]);
  }
  let differenceVariance = 0;
  for (let k = 0; k < ng; k++) differenceVariance += (k - differenceAverage) ** 2 * diff[k];
  let sumAverage = 0;
  let sumEntropy = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    sumAverage += k * sum[k];
    if (sum[k] > 0) sumEntropy -= sum[k] * Math.log2(sum[k]);
  }
  let sumVariance = 0;
  for (let k = 2; k <= 2 * ng; k++) sumVariance += (k - sumAverage) ** 2 * sum[k];

  return {
    jointMaximum,
    jointAverage,
    jointVariance,
    jointEntropy,
    differenceAverage,
    differenceVariance,
    differenceEntropy,
    sumAverage,
    sumVariance,
    sumEntropy,
    angularSecondMoment,
    contrast,
    dissimilarity,
    inverseDifference,
    normalisedInverseDifference,
    inverseDifferenceMoment,
    normalisedInverseDifferenceMoment,
    inverseVariance,
    // A constant image has no spread to correlate: 1 (pyradiomics's convention) rather than 0/0.
    correlation: jointVariance === 0 ? 1 : covariance / jointVariance,
    autocorrelation,
    clusterTendency,
    clusterShade,
    clusterProminence,
    informationCorrelation1: hx === 0 ? 0 : (jointEntropy - hxy1) / hx,
    informationCorrelation2: Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - jointEntropy)))),
  };
}
