import { neighbours8 } from './directions';
import type { DiscretisedImage, FeatureValues } from './types';

/**
 * Neighbourhood grey tone difference matrix features (IBSI 1 §3.10; Amadasun & King 1989), 2D with
 * Chebyshev distance 1: a pixel's neighbourhood average is over its neighbours inside the ROI, and a
 * pixel with none is left out (IBSI's definition, which pyradiomics follows). One matrix per image.
 * pyradiomics returns 10⁶ for coarseness and 0 for contrast/busyness of a flat image; so do we.
 */
export function ngtdmFeatures(image: DiscretisedImage): FeatureValues {
  const { width, height, levels, levelCount: ng } = image;
  const counts = new Float64Array(ng + 1); // n_i
  const differences = new Float64Array(ng + 1); // s_i
  let valid = 0; // N_v,c
  const neighbours = neighbours8(width, height);
  for (let at = 0; at < width * height; at++) {
    const level = levels[at];
    if (level === 0) continue;
    let sum = 0;
    let inRoi = 0;
    for (let k = at * 8, end = k + 8; k < end; k++) {
      const next = neighbours[k];
      if (next < 0) continue;
      const other = levels[next];
      if (other === 0) continue;
      sum += other;
      inRoi++;
    }
    if (inRoi === 0) continue;
    counts[level]++;
    differences[level] += Math.abs(level - sum / inRoi);
    valid++;
  }
  if (valid === 0) throw new Error('no ROI pixel has a neighbour in the ROI');
  const present: number[] = [];
  const p = new Float64Array(ng + 1);
  let weighted = 0; // Σ p_i s_i
  let totalDifference = 0; // Σ s_i
  for (let i = 1; i <= ng; i++) {
    p[i] = counts[i] / valid;
    if (p[i] > 0) present.push(i);
    weighted += p[i] * differences[i];
    totalDifference += differences[i];
  }
  const ngp = present.length;
  let contrastSum = 0;
  let busynessDenominator = 0;
  let complexity = 0;
  let strengthNumerator = 0;
  for (const i of present) {
    for (const j of present) {
      const d = i - j;
      contrastSum += p[i] * p[j] * d * d;
      busynessDenominator += Math.abs(i * p[i] - j * p[j]);
      complexity += (Math.abs(d) * (p[i] * differences[i] + p[j] * differences[j])) / (p[i] + p[j]);
      strengthNumerator += (p[i] + p[j]) * d * d;
    }
  }
  return {
    coarseness: weighted === 0 ? 1e6 : 1 / weighted,
    contrast: ngp > 1 ? (contrastSum / (ngp * (ngp - 1))) * (totalDifference / valid) : 0,
    busyness: busynessDenominator === 0 ? 0 : weighted / busynessDenominator,
    complexity: complexity / valid,
    strength: totalDifference === 0 ? 0 : strengthNumerator / totalDifference,
  };
}
