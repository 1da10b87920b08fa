import type { FeatureDescriptor } from './features';
import { fitGaussian, frechetDistance } from './frechet';
import { normaliseJointly } from './normalise';
import { precisionRecall } from './precision-recall';

/**
 * Fréchet Radiomics Distance of a synthetic set to a real one (frd-score v0, Osuala et al. 2024): the
 * squared Fréchet distance between Gaussians fitted to the two sets' radiomic features after joint
 * min-max normalisation; 0 for identical distributions, larger is further apart. Precision and recall
 * (k-NN manifolds) on the same normalised features, and the features whose means differ most.
 */
export interface FeatureDifference {
  key: string;
  label: string;
  realMean: number;
  syntheticMean: number;
  /** (synthetic − real) / |real|; null when the real mean is 0. */
  relativeDifference: number | null;
  /** (synthetic − real) / pooled standard deviation (Cohen's d): what the ranking uses. */
  standardisedDifference: number;
}

export interface FrdResult {
  frd: number;
  precision: number;
  recall: number;
  k: number;
  realCount: number;
  syntheticCount: number;
  featureCount: number;
  /** The features with the largest |standardised difference|, largest first. */
  differences: FeatureDifference[];
}

export interface FrdOptions {
  /** Neighbours for the precision/recall manifolds; default 3 (Kynkäänniemi et al.). */
  k?: number;
  /** How many differing features to name; default 5. */
  topDifferences?: number;
}

export function frechetRadiomicsDistance(
  real: ReadonlyArray<ArrayLike<number>>,
  synthetic: ReadonlyArray<ArrayLike<number>>,
  descriptors: ReadonlyArray<FeatureDescriptor>,
  options: FrdOptions = {},
): FrdResult {
  const { k = 3, topDifferences = 5 } = options;
  for (const row of [...real, ...synthetic]) {
    if (row.length !== descriptors.length) throw new Error(`a feature vector has ${row.length} values, expected ${descriptors.length}`);
  }
  const [realNormalised, syntheticNormalised] = normaliseJointly([real, synthetic]);
  const frd = frechetDistance(fitGaussian(realNormalised), fitGaussian(syntheticNormalised));
  const pr = precisionRecall(realNormalised, syntheticNormalised, k);
  return {
    frd,
    precision: pr.precision,
    recall: pr.recall,
    k,
    realCount: real.length,
    syntheticCount: synthetic.length,
    featureCount: descriptors.length,
    differences: featureDifferences(real, synthetic, descriptors).slice(0, topDifferences),
  };
}

/** Every feature's mean difference, largest |Cohen's d| first (features constant in both sets left out). */
export function featureDifferences(
  real: ReadonlyArray<ArrayLike<number>>,
  synthetic: ReadonlyArray<ArrayLike<number>>,
  descriptors: ReadonlyArray<FeatureDescriptor>,
): FeatureDifference[] {
  const out: FeatureDifference[] = [];
  descriptors.forEach(({ key, label }, f) => {
    const a = moments(real, f);
    const b = moments(synthetic, f);
    const pooled = Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2));
    if (!(pooled > 0)) return;
    out.push({
      key,
      label,
      realMean: a.mean,
      syntheticMean: b.mean,
      relativeDifference: a.mean === 0 ? null : (b.mean - a.mean) / Math.abs(a.mean),
      standardisedDifference: (b.mean - a.mean) / pooled,
    });
  });
  return out.sort((x, y) => Math.abs(y.standardisedDifference) - Math.abs(x.standardisedDifference));
}

/** "GLCM contrast: synthetic 12 % lower" (or the two means when the real one is 0). */
export function describeDifference(d: FeatureDifference): string {
  if (d.relativeDifference === null) return `${d.label}: synthetic ${d.syntheticMean.toPrecision(3)}, real ${d.realMean.toPrecision(3)}`;
  const percent = Math.abs(d.relativeDifference) * 100;
  const amount = percent >= 10 ? percent.toFixed(0) : percent.toPrecision(2);
  return `${d.label}: synthetic ${amount} % ${d.relativeDifference < 0 ? 'lower' : 'higher'}`;
}

function moments(rows: ReadonlyArray<ArrayLike<number>>, f: number): { n: number; mean: number; variance: number } {
  let n = 0;
  let sum = 0;
  for (const row of rows) {
    if (!Number.isFinite(row[f])) continue;
    n++;
    sum += row[f];
  }
  const mean = sum / n;
  let ss = 0;
  for (const row of rows) if (Number.isFinite(row[f])) ss += (row[f] - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : 0 };
}
