/**
 * Features shared by the matrices that count, per grey level i, how many runs / zones / dependences
 * of size j there are (IBSI 1 §3.7 GLRLM, §3.8 GLSZM, §3.11 NGLDM have the same formulas under
 * different names). Input: one entry per run (zone, pixel) — its level and its size — plus N_v, the
 * ROI pixel count. Sizes are positive integers; p_ij = m_ij / N_s with N_s the number of entries.
 */
export interface SizeMatrixFeatures {
  smallEmphasis: number;
  largeEmphasis: number;
  lowGreyLevelEmphasis: number;
  highGreyLevelEmphasis: number;
  smallLowGreyLevelEmphasis: number;
  smallHighGreyLevelEmphasis: number;
  largeLowGreyLevelEmphasis: number;
  largeHighGreyLevelEmphasis: number;
  greyLevelNonUniformity: number;
  normalisedGreyLevelNonUniformity: number;
  sizeNonUniformity: number;
  normalisedSizeNonUniformity: number;
  percentage: number;
  greyLevelVariance: number;
  sizeVariance: number;
  entropy: number;
  energy: number;
}

export function sizeMatrixFeatures(entryLevels: ArrayLike<number>, entrySizes: ArrayLike<number>, count: number, roiCount: number): SizeMatrixFeatures {
  if (count === 0) throw new Error('the texture matrix has no entries');
  const byLevel = new Map<number, number>();
  const bySize = new Map<number, number>();
  const cells = new Map<number, number>();
  let maxSize = 0;
  for (let e = 0; e < count; e++) if (entrySizes[e] > maxSize) maxSize = entrySizes[e];
  let small = 0;
  let large = 0;
  let low = 0;
  let high = 0;
  let smallLow = 0;
  let smallHigh = 0;
  let largeLow = 0;
  let largeHigh = 0;
  let meanLevel = 0;
  let meanSize = 0;
  for (let e = 0; e < count; e++) {
    const i = entryLevels[e];
    const j = entrySizes[e];
    const i2 = i * i;
    const j2 = j * j;
    small += 1 / j2;
    large += j2;
    low += 1 / i2;
    high += i2;
    smallLow += 1 / (i2 * j2);
    smallHigh += i2 / j2;
    largeLow += j2 / i2;
    largeHigh += i2 * j2;
    meanLevel += i;
    meanSize += j;
    byLevel.set(i, (byLevel.get(i) ?? 0) + 1);
    bySize.set(j, (bySize.get(j) ?? 0) + 1);
    const cell = i * (maxSize + 1) + j;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  meanLevel /= count;
  meanSize /= count;
  let levelVariance = 0;
  let sizeVariance = 0;
  for (let e = 0; e < count; e++) {
    levelVariance += (entryLevels[e] - meanLevel) ** 2;
    sizeVariance += (entrySizes[e] - meanSize) ** 2;
  }
  let greyLevelNonUniformity = 0;
  for (const m of byLevel.values()) greyLevelNonUniformity += m * m;
  let sizeNonUniformity = 0;
  for (const m of bySize.values()) sizeNonUniformity += m * m;
  let entropy = 0;
  let energy = 0;
  for (const m of cells.values()) {
    const p = m / count;
    entropy -= p * Math.log2(p);
    energy += p * p;
  }
  return {
    smallEmphasis: small / count,
    largeEmphasis: large / count,
    lowGreyLevelEmphasis: low / count,
    highGreyLevelEmphasis: high / count,
    smallLowGreyLevelEmphasis: smallLow / count,
    smallHighGreyLevelEmphasis: smallHigh / count,
    largeLowGreyLevelEmphasis: largeLow / count,
    largeHighGreyLevelEmphasis: largeHigh / count,
    greyLevelNonUniformity: greyLevelNonUniformity / count,
    normalisedGreyLevelNonUniformity: greyLevelNonUniformity / (count * count),
    sizeNonUniformity: sizeNonUniformity / count,
    normalisedSizeNonUniformity: sizeNonUniformity / (count * count),
    percentage: count / roiCount,
    greyLevelVariance: levelVariance / count,
    sizeVariance: sizeVariance / count,
    entropy,
    energy,
  };
}
