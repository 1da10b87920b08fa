import { describe, expect, it } from 'vitest';
import { featureDescriptors, type FeatureDescriptor } from './features';
import frechet from './fixtures/frechet.json';
import { describeDifference, featureDifferences, frechetRadiomicsDistance } from './frd';
import { fitGaussian, frechetDistance } from './frechet';
import { normaliseJointly } from './normalise';
import { precisionRecall } from './precision-recall';

const relative = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);
const descriptorsFor = (d: number): FeatureDescriptor[] =>
  Array.from({ length: d }, (_, k) => ({ key: `glcm.f${k}`, family: 'glcm', label: `GLCM f${k}` }));

/** A seeded normal generator (mulberry32 + Box–Muller), so the shifted sets below are reproducible. */
function normals(seed: number) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe('Fréchet distance against scipy.linalg.sqrtm', () => {
  frechet.cases.forEach((c, n) => {
    const d = c.real[0].length;
    it(`case ${n + 1} (${c.real.length} vs ${c.synthetic.length} samples, ${d} features): raw and FRD to 1e-6 relative, precision/recall exact`, () => {
      expect(relative(frechetDistance(fitGaussian(c.real), fitGaussian(c.synthetic)), c.frechetRaw)).toBeLessThan(1e-6);
      const result = frechetRadiomicsDistance(c.real, c.synthetic, descriptorsFor(d), { k: c.k });
      expect(relative(result.frd, c.frd)).toBeLessThan(1e-6);
      expect(result.precision).toBe(c.precision);
      expect(result.recall).toBe(c.recall);
    });
  });
});

describe('FRD behaves as a distance between sets', () => {
  const next = normals(15);
  const d = 8;
  const real = Array.from({ length: 150 }, () => Array.from({ length: d }, (_, k) => next() * (1 + k / 4) + 10 * k));

  it('a set against itself gives ≈ 0, precision and recall 1', () => {
    const result = frechetRadiomicsDistance(real, real, descriptorsFor(d));
    expect(result.frd).toBeLessThan(1e-9);
    expect(result.precision).toBe(1);
    expect(result.recall).toBe(1);
  });

  it('grows monotonically as a copy of the set is shifted further (normalised on a fixed joint range)', () => {
    // Normalise once with the largest shift present, then compare each shifted copy: the growth comes from the shift alone.
    const shifts = [0, 0.25, 0.5, 1, 2, 4];
    const shifted = shifts.map((s) => real.map((row) => row.map((x, k) => x + s * (1 + k / 4))));
    const [base, ...rest] = normaliseJointly([real, ...shifted]);
    const distances = rest.map((set) => frechetDistance(fitGaussian(base), fitGaussian(set)));
    expect(distances[0]).toBeLessThan(1e-9);
    for (let i = 1; i < distances.length; i++) expect(distances[i]).toBeGreaterThan(distances[i - 1]);
    // And through the whole FRD pipeline (joint normalisation per comparison), precision falls with the shift.
    const frds = shifted.map((set) => frechetRadiomicsDistance(real, set, descriptorsFor(d)));
    for (let i = 1; i < frds.length; i++) expect(frds[i].frd).toBeGreaterThan(frds[i - 1].frd);
    expect(frds.at(-1)!.precision).toBeLessThan(0.2);
  });

  it('names the features that differ most, with the direction and size of the difference', () => {
    const synthetic = real.map((row) => row.map((x, k) => (k === 3 ? x * 0.88 : x)));
    const [top] = featureDifferences(real, synthetic, descriptorsFor(d));
    expect(top.key).toBe('glcm.f3');
    expect(top.relativeDifference).toBeCloseTo(-0.12, 10);
    expect(describeDifference(top)).toBe('GLCM f3: synthetic 12 % lower');
  });

  it("normalises as frd-score v0: jointly onto [0, 7.4567…]; constant, missing and infinite values go to the middle", () => {
    const [a, b] = normaliseJointly([
      [[1, 4, NaN], [3, 4, 2]],
      [[2, 4, Infinity]],
    ]);
    const [low, high] = [0, 7.45670747756958];
    expect([...a[0]]).toEqual([low, high / 2, high / 2]);
    expect([...a[1]]).toEqual([high, high / 2, high / 2]);
    expect([...b[0]]).toEqual([high / 2, high / 2, high / 2]);
  });

  it('refuses too few samples for k, and vectors of the wrong length', () => {
    expect(() => precisionRecall(real.slice(0, 3), real, 3)).toThrow(/more than 3 real samples/);
    expect(() => frechetRadiomicsDistance(real, real, featureDescriptors())).toThrow(/feature vector has 8 values/);
  });
});
