import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from './config';
import { InsufficientImagesError } from './errors';
import { selectionSeed } from './rng';
import { selectImages, stratumCounts, type CandidateImage } from './select';

const MODALITIES = ['CT', 'MR', 'XR'];
const LABELS = [[], ['nodule'], ['nodule', 'effusion'], ['effusion']];

const candidateArb = (i: number) =>
  fc.record({
    synthetic: fc.boolean(),
    modality: fc.constantFrom(...MODALITIES),
    labels: fc.constantFrom(...LABELS),
    resolution: fc.constantFrom(256, 512),
    quarantined: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
  }).map(
    (r): CandidateImage => ({
      id: `img-${String(i).padStart(4, '0')}`,
      origin: r.synthetic ? 'SYNTHETIC' : 'REAL',
      modality: r.modality,
      labels: r.labels,
      resolution: r.resolution,
      patientKey: `p${i % 37}`,
      isQuarantined: r.quarantined,
    }),
  );

const poolArb = fc.integer({ min: 10, max: 300 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(i))));

const configArb = fc.record({
  share: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
  fraction: fc.constantFrom(0.5, 0.3, 0.7, 0.25),
  by: fc.subarray(['modality', 'label', 'resolution'] as const),
});

function make(prefix: string, origin: 'REAL' | 'SYNTHETIC', modality: string, n: number): CandidateImage[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, origin, modality, labels: [], resolution: 1 }));
}

const count = (xs: readonly CandidateImage[], origin: string) => xs.filter((x) => x.origin === origin).length;

describe('selectImages', () => {
  it('never picks quarantined images, hits the totals and keeps strata ratios as far as counts allow', () => {
    fc.assert(
      fc.property(poolArb, configArb, fc.stringMatching(/^[0-9a-f]{64}$/), (pool, c, seed) => {
        const eligible = pool.filter((p) => !p.isQuarantined);
        const n = Math.max(1, Math.floor(eligible.length * c.share));
        const config = parseStudyConfig({
          imagesPerReader: n,
          syntheticFraction: c.fraction,
          strata: c.by.length > 0 ? { by: [...c.by] } : undefined,
        });
        const needSynthetic = Math.round(n * c.fraction);
        if (count(eligible, 'SYNTHETIC') < needSynthetic || count(eligible, 'REAL') < n - needSynthetic) {
          expect(() => selectImages({ candidates: pool, config, seed })).toThrow(InsufficientImagesError);
          return;
        }
        const result = selectImages({ candidates: pool, config, seed });
        const ids = result.images.map((i) => i.id);
        expect(new Set(ids).size).toBe(n);
        expect(result.images.every((i) => !i.isQuarantined)).toBe(true);
        expect(count(result.images, 'SYNTHETIC')).toBe(needSynthetic);
        expect([...ids].sort()).toEqual(ids);
        // Reports add up and match the images.
        expect(result.strata.reduce((t, s) => t + s.selected.synthetic + s.selected.real, 0)).toBe(n);
        // With enough balanced room, no stratum is off its ratio beyond rounding.
        const capacity = result.strata.reduce(
          (t, s) => t + Math.floor(Math.min(s.available.synthetic / c.fraction, s.available.real / (1 - c.fraction)) + 1e-9),
          0,
        );
        if (capacity >= n) expect(result.warnings.filter((w) => !w.includes('none selected'))).toEqual([]);
        // A stratum off its ratio by more than one image, or left out, is always reported.
        for (const s of result.strata) {
          const size = s.selected.real + s.selected.synthetic;
          const off = Math.abs(s.selected.synthetic - c.fraction * size) > 1;
          expect(result.warnings.some((w) => w.startsWith(`Stratum ${s.key}:`))).toBe(off || size === 0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the ratio in every stratum when each has room', () => {
    // Three modalities with very different class mixes, all with plenty of both classes.
    const candidates: CandidateImage[] = [];
    const add = (modality: string, real: number, synthetic: number) => {
      for (let i = 0; i < real + synthetic; i++) {
        candidates.push({
          id: `${modality}-${i}`,
          origin: i < real ? 'REAL' : 'SYNTHETIC',
          modality,
          labels: [],
          resolution: 512,
        });
      }
    };
    add('CT', 300, 100);
    add('MR', 100, 300);
    add('XR', 200, 200);
    const config = parseStudyConfig({ imagesPerReader: 150, strata: { by: ['modality'] } });
    const result = selectImages({ candidates, config, seed: selectionSeed('secret') });
    expect(result.warnings).toEqual([]);
    for (const s of result.strata) expect(Math.abs(s.selected.synthetic - s.selected.real)).toBeLessThanOrEqual(1);
    expect(result.strata.map((s) => s.selected.real + s.selected.synthetic)).toEqual([50, 50, 50]);
  });

  it('leaves out a stratum that cannot be balanced, and says so', () => {
    const candidates: CandidateImage[] = [
      ...make('ct-r', 'REAL', 'CT', 20),
      ...make('mr-r', 'REAL', 'MR', 20),
      ...make('mr-s', 'SYNTHETIC', 'MR', 20),
    ];
    const config = parseStudyConfig({ imagesPerReader: 30, strata: { by: ['modality'] } });
    const result = selectImages({ candidates, config, seed: selectionSeed('secret') });
    expect(result.strata.map((s) => s.selected)).toEqual([
      { real: 0, synthetic: 0 },
      { real: 15, synthetic: 15 },
    ]);
    expect(result.warnings).toEqual([
      'Stratum {"modality":"CT"}: none selected; with 0 synthetic and 20 real eligible images it cannot contribute at the target ratio (50.0% synthetic).',
    ]);
  });

  it('fills from strata with a surplus and warns when the balanced room runs out', () => {
    const candidates: CandidateImage[] = [
      ...make('ct-r', 'REAL', 'CT', 30),
      ...make('ct-s', 'SYNTHETIC', 'CT', 2),
      ...make('mr-r', 'REAL', 'MR', 10),
      ...make('mr-s', 'SYNTHETIC', 'MR', 20),
    ];
    const config = parseStudyConfig({ imagesPerReader: 40, strata: { by: ['modality'] } });
    const result = selectImages({ candidates, config, seed: selectionSeed('secret') });
    expect(result.strata.map((s) => s.selected)).toEqual([
      { real: 10, synthetic: 2 },
      { real: 10, synthetic: 18 },
    ]);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/^Stratum \{"modality":"CT"\}: 2 synthetic of 12 selected \(16\.7%, target 50\.0%\)/);
  });

  it('is deterministic and independent of input order; other seeds give other samples', () => {
    const candidates: CandidateImage[] = Array.from({ length: 200 }, (_, i) => ({
      id: `img-${i}`,
      origin: i % 3 === 0 ? 'SYNTHETIC' : 'REAL',
      modality: i % 2 ? 'CT' : 'MR',
      labels: i % 5 ? ['a', 'b'] : ['b', 'a', 'a'],
      resolution: 512,
    }));
    const config = parseStudyConfig({ imagesPerReader: 40, strata: { by: ['label', 'modality'] } });
    const seed = selectionSeed('secret');
    const a = selectImages({ candidates, config, seed });
    const b = selectImages({ candidates: [...candidates].reverse(), config, seed });
    expect(b).toEqual(a);
    // Label sets are compared as sets: ['b','a','a'] and ['a','b'] share a stratum.
    expect(a.strata.map((s) => s.key)).toEqual([
      '{"label":["a","b"],"modality":"CT"}',
      '{"label":["a","b"],"modality":"MR"}',
    ]);
    const c = selectImages({ candidates, config, seed: selectionSeed('secret', 'reader-7') });
    expect(c.images.map((i) => i.id)).not.toEqual(a.images.map((i) => i.id));
  });

  it('says how many images are needed and available', () => {
    const candidates: CandidateImage[] = [
      ...Array.from({ length: 10 }, (_, i): CandidateImage => ({ id: `r${i}`, origin: 'REAL', modality: 'CT', labels: [], resolution: 1 })),
      ...Array.from({ length: 6 }, (_, i): CandidateImage => ({
        id: `s${i}`,
        origin: 'SYNTHETIC',
        modality: 'CT',
        labels: [],
        resolution: 1,
        isQuarantined: i < 2,
      })),
    ];
    const config = parseStudyConfig({ imagesPerReader: 12 });
    expect(() => selectImages({ candidates, config, seed: selectionSeed('x') })).toThrow(
      'Not enough images: 6 synthetic images needed, 4 available (12 images per reader × synthetic share 50 %; 2 quarantined image(s) are not eligible).',
    );
    expect(() => selectImages({ candidates: [...candidates, candidates[0]], config, seed: selectionSeed('x') })).toThrow(/duplicate/);
  });
});

describe('stratumCounts', () => {
  const img = (id: string, origin: 'REAL' | 'SYNTHETIC', modality: string, labels: string[], resolution: number, isQuarantined = false): CandidateImage => ({ id, origin, modality, labels, resolution, isQuarantined });
  const images = [
    img('a', 'REAL', 'CXR', ['nodule', 'effusion'], 256),
    img('b', 'SYNTHETIC', 'CXR', ['effusion', 'nodule'], 256),
    img('c', 'SYNTHETIC', 'CXR', ['effusion', 'nodule'], 256, true),
    img('d', 'REAL', 'CT_HEAD', [], 64),
  ];

  it('counts eligible images per stratum and class, keyed like the selection report', () => {
    expect(stratumCounts(images, ['label', 'modality'])).toEqual([
      { key: '{"label":["effusion","nodule"],"modality":"CXR"}', attributes: { label: ['effusion', 'nodule'], modality: 'CXR' }, available: { real: 1, synthetic: 1 } },
      { key: '{"label":[],"modality":"CT_HEAD"}', attributes: { label: [], modality: 'CT_HEAD' }, available: { real: 1, synthetic: 0 } },
    ]);
  });

  it('has one stratum "{}" without stratification', () => {
    expect(stratumCounts(images)).toEqual([{ key: '{}', attributes: {}, available: { real: 2, synthetic: 1 } }]);
  });
});
