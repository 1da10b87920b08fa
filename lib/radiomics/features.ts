import { discretiseFixedWidth } from './discretise';
import { firstOrderFeatures } from './first-order';
import { gldmFeatures } from './gldm';
import { glcmFeatures } from './glcm';
import { glrlmFeatures } from './glrlm';
import { glszmFeatures } from './glszm';
import { ngtdmFeatures } from './ngtdm';
import type { DiscretisedImage, FeatureValues, RadiomicsImage } from './types';

/**
 * The radiomic feature vector of one 2D image: the six families frd-score v0 (Osuala et al. 2024)
 * takes from pyradiomics — first order, GLCM, GLRLM, GLSZM, GLDM, NGTDM — with IBSI 1 definitions
 * (Zwanenburg et al. 2020). Shape features are left out: without a mask they are the same for every
 * image. No npm package computes IBSI features, so the definitions are written out here, one family
 * per file, each checked against the IBSI digital phantom (lib/radiomics/fixtures).
 */
export interface RadiomicsSettings {
  /** Fixed bin width of the discretisation, in the image's intensity units (pyradiomics's default 25). */
  binWidth: number;
  /**
   * Lower bound of the first bin (IBSI X_gl,min); 0 by default, the bottom of every stored intensity range here.
   * `null`: pyradiomics's edges relative to each image's minimum, as frd-score v0 (see discretise.ts).
   */
  binOrigin: number | null;
}

export const DEFAULT_RADIOMICS_SETTINGS: RadiomicsSettings = { binWidth: 25, binOrigin: 0 };

export type FeatureFamily = 'firstorder' | 'glcm' | 'glrlm' | 'glszm' | 'gldm' | 'ngtdm';

const FAMILIES: ReadonlyArray<{ family: FeatureFamily; title: string; compute: (image: RadiomicsImage, d: DiscretisedImage) => FeatureValues }> = [
  { family: 'firstorder', title: 'First order', compute: firstOrderFeatures },
  { family: 'glcm', title: 'GLCM', compute: (_, d) => glcmFeatures(d) },
  { family: 'glrlm', title: 'GLRLM', compute: (_, d) => glrlmFeatures(d) },
  { family: 'glszm', title: 'GLSZM', compute: (_, d) => glszmFeatures(d) },
  { family: 'gldm', title: 'GLDM', compute: (_, d) => gldmFeatures(d) },
  { family: 'ngtdm', title: 'NGTDM', compute: (_, d) => ngtdmFeatures(d) },
];

export interface FeatureDescriptor {
  /** "glcm.contrast" */
  key: string;
  family: FeatureFamily;
  /** For people: "GLCM contrast". */
  label: string;
}

/** Every family's features of one image, by family. */
export function familyFeatures(image: RadiomicsImage, settings: RadiomicsSettings = DEFAULT_RADIOMICS_SETTINGS): Record<FeatureFamily, FeatureValues> {
  const discretised = discretiseFixedWidth(image, settings.binWidth, settings.binOrigin ?? undefined);
  const out = {} as Record<FeatureFamily, FeatureValues>;
  for (const { family, compute } of FAMILIES) out[family] = compute(image, discretised);
  return out;
}

let descriptors: FeatureDescriptor[] | null = null;

/** The features in vector order (fixed: the families in the order above, each in its own order). */
export function featureDescriptors(): FeatureDescriptor[] {
  if (!descriptors) {
    const probe = familyFeatures({ width: 3, height: 3, pixels: [0, 25, 50, 25, 50, 75, 50, 75, 100] });
    descriptors = FAMILIES.flatMap(({ family, title }) =>
      Object.keys(probe[family]).map((name) => ({ key: `${family}.${name}`, family, label: `${title} ${words(name)}` })),
    );
  }
  return descriptors;
}

/** The feature vector of one image, in `featureDescriptors()` order. */
export function extractFeatures(image: RadiomicsImage, settings: RadiomicsSettings = DEFAULT_RADIOMICS_SETTINGS): Float64Array {
  const byFamily = familyFeatures(image, settings);
  const keys = featureDescriptors();
  const vector = new Float64Array(keys.length);
  keys.forEach(({ family, key }, k) => {
    vector[k] = byFamily[family][key.slice(family.length + 1)];
  });
  return vector;
}

/** "normalisedInverseDifference" → "normalised inverse difference"; digits stay attached ("percentile10"). */
function words(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([a-z])(\d)/g, '$1 $2').toLowerCase();
}
