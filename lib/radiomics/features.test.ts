import { describe, expect, it } from 'vitest';
import { discretiseFixedWidth } from './discretise';
import { extractFeatures, familyFeatures, featureDescriptors, type FeatureFamily } from './features';
import phantom from './fixtures/ibsi-phantom.json';
import texture from './fixtures/texture.json';
import { firstOrderFeatures } from './first-order';
import type { FeatureValues } from './types';

const FAMILIES: FeatureFamily[] = ['firstorder', 'glcm', 'glrlm', 'glszm', 'gldm', 'ngtdm'];

/** The phantom's slices as 2D images with their masks (IBSI: 2D aggregation works slice by slice). */
function phantomSlices() {
  return phantom.image.map((plane, z) => ({
    width: plane[0].length,
    height: plane.length,
    pixels: plane.flat(),
    mask: phantom.mask[z].flat(),
  }));
}

describe('IBSI 1 digital phantom (published reference values, 2D aggregation)', () => {
  const slices = phantomSlices();
  // Texture families: features per slice (each already averaged over its four directions), averaged over slices.
  const perSlice = slices.map((slice) => familyFeatures(slice, { binWidth: 1, binOrigin: 1 }));
  const averaged = (family: FeatureFamily): FeatureValues => {
    const out: FeatureValues = {};
    for (const key of Object.keys(perSlice[0][family])) out[key] = perSlice.reduce((s, f) => s + f[family][key], 0) / perSlice.length;
    return out;
  };
  // First order is a property of the whole ROI volume: the four slices side by side are the same voxels.
  const volume = { width: 5, height: 16, pixels: slices.flatMap((s) => s.pixels), mask: slices.flatMap((s) => s.mask) };
  const firstOrder = firstOrderFeatures(volume, discretiseFixedWidth(volume, 1));

  for (const family of FAMILIES) {
    const references = phantom.reference[family as keyof typeof phantom.reference];
    it(`${family}: ${references.length} features within half a unit of the published last digit`, () => {
      const ours = family === 'firstorder' ? firstOrder : averaged(family);
      const bad = references
        .filter((r) => !(Math.abs(ours[r.key] - r.value) <= r.tolerance + 1e-12))
        .map((r) => `${r.ibsiName} (${r.key}): ours ${ours[r.key]}, IBSI ${r.value} ± ${r.tolerance}`);
      expect(bad).toEqual([]);
    });
  }
});

describe('features of small images against numpy / scipy / scikit-image (bin width 25)', () => {
  texture.cases.forEach((c, n) => {
    const bins = c.binOrigin === null ? "pyradiomics's bin edges" : `bins from ${c.binOrigin}`;
    it(`case ${n + 1} (${c.width}×${c.height}, ${bins}, ${c.levelCount} levels): every family to 1e-9 relative`, () => {
      const image = { width: c.width, height: c.height, pixels: c.pixels };
      expect(discretiseFixedWidth(image, c.binWidth, c.binOrigin ?? undefined).levelCount).toBe(c.levelCount);
      const ours = familyFeatures(image, { binWidth: c.binWidth, binOrigin: c.binOrigin });
      const bad: string[] = [];
      for (const family of FAMILIES) {
        const expected = c.features[family] as Record<string, number>;
        expect(Object.keys(expected).sort()).toEqual(Object.keys(ours[family]).sort());
        for (const [key, value] of Object.entries(expected)) {
          const got = ours[family][key];
          if (!(Math.abs(got - value) <= 1e-9 * Math.max(1, Math.abs(value)))) bad.push(`${family}.${key}: ours ${got}, reference ${value}`);
        }
      }
      expect(bad).toEqual([]);
    });
  });
});

describe('feature vector', () => {
  it('has one named value per feature, all finite on a real-looking image, in a fixed order', () => {
    const descriptors = featureDescriptors();
    expect(new Set(descriptors.map((d) => d.key)).size).toBe(descriptors.length);
    expect(descriptors.find((d) => d.key === 'glcm.contrast')?.label).toBe('GLCM contrast');
    expect(descriptors.find((d) => d.key === 'firstorder.percentile90')?.label).toBe('First order percentile 90');
    const c = texture.cases[0];
    const vector = extractFeatures({ width: c.width, height: c.height, pixels: c.pixels }, { binWidth: c.binWidth, binOrigin: c.binOrigin });
    expect(vector.length).toBe(descriptors.length);
    expect([...vector].every(Number.isFinite)).toBe(true);
    expect(vector[descriptors.findIndex((d) => d.key === 'glcm.contrast')]).toBeCloseTo(c.features.glcm.contrast, 12);
  });

  it('refuses an image whose pixel count does not match its size, or an empty ROI', () => {
    expect(() => extractFeatures({ width: 4, height: 4, pixels: new Uint8Array(15) })).toThrow(/expected 4×4 = 16 pixels/);
    expect(() => extractFeatures({ width: 2, height: 2, pixels: [1, 2, 3, 4], mask: [0, 0, 0, 0] })).toThrow(/region of interest is empty/);
    expect(() => extractFeatures({ width: 2, height: 2, pixels: [1, 2, 3, -4] })).toThrow(/-4 lies below the discretisation origin 0/);
  });
});
