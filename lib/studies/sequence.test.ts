import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockCounts } from './class-pattern';
import { parseStudyConfig, type StudyConfig } from './config';
import { InsufficientImagesError, StudyInfeasibleError } from './errors';
import { readerSeed } from './rng';
import { buildSequence, scoredFeasibility } from './sequence';
import type { ImageOrigin, SequenceImage } from './types';
import { sequenceViolations } from './validate';

const seedArb = fc.stringMatching(/^[0-9a-f]{64}$/);

/** A pool of `real` + `synthetic` images spread over `patients` patients (0: no patient keys). */
function pool(prefix: string, real: number, synthetic: number, patientOf: (i: number) => string | undefined): SequenceImage[] {
  return Array.from({ length: real + synthetic }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(5, '0')}`,
    origin: (i < real ? 'REAL' : 'SYNTHETIC') as ImageOrigin,
    patientKey: patientOf(i),
  }));
}

/** Random study inputs: ratios, blocks, run limits, repeats, practice, patients with many images. */
const studyArb = fc
  .record({
    images: fc.oneof(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 20, max: 150 })),
    fraction: fc.oneof(
      fc.constantFrom(0.5, 0.3, 0.7),
      fc.double({ min: 0.2, max: 0.8, noNaN: true }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    ),
    maxRunLength: fc.oneof({ arbitrary: fc.integer({ min: 2, max: 5 }), weight: 4 }, { arbitrary: fc.constant(1), weight: 1 }),
    blockShare: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
    repeatShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
    repeatMinGap: fc.integer({ min: 0, max: 6 }),
    practiceItems: fc.integer({ min: 0, max: 6 }),
    // Images per patient: 1 (no keys), a few, or many; patients may span both classes.
    perPatient: fc.constantFrom(0, 2, 3, 5, 10),
    seed: seedArb,
  })
  .map((r) => {
    const synthetic = Math.min(r.images - 1, Math.max(1, Math.round(r.images * r.fraction)));
    const repeatedItems = Math.floor(r.images * r.repeatShare);
    const scored = r.images + repeatedItems;
    const config = parseStudyConfig({
      imagesPerReader: r.images,
      syntheticFraction: synthetic / r.images,
      maxRunLength: r.maxRunLength,
      blockSize: r.blockShare === undefined ? undefined : Math.max(1, Math.round(scored * r.blockShare)),
      repeatedItems,
      repeatMinGap: r.repeatMinGap,
      practiceItems: r.practiceItems,
    });
    // Up to a quarter of the images per patient, so most inputs stay feasible.
    const perPatient = Math.min(r.perPatient, Math.floor(r.images / 4));
    const key = (prefix: string) => (i: number) =>
      perPatient <= 1 ? undefined : `${prefix}${Math.floor(i / perPatient)}`;
    const images = pool('img', r.images - synthetic, synthetic, key('patient-'));
    // Practice patients overlap the scored ones, so the boundary rule is exercised.
    const practicePool = pool('practice', 20, 20, key('patient-'));
    return { config, images, practicePool, seed: r.seed, perPatient };
  });

/** Inputs where no rule is tight, so failing would be a bug: small patients, gaps that fit. */
function comfortable(config: StudyConfig, perPatient: number): boolean {
  const n = config.imagesPerReader + config.repeatedItems;
  return (
    config.maxRunLength >= 2 &&
    perPatient <= 3 &&
    n >= 40 &&
    config.repeatedItems <= config.imagesPerReader / 4 &&
    config.syntheticFraction >= 0.25 &&
    config.syntheticFraction <= 0.75
  );
}

describe('buildSequence', () => {
  it('keeps every rule in every generated sequence', () => {
    let built = 0;
    fc.assert(
      fc.property(studyArb, ({ config, images, practicePool, seed, perPatient }) => {
        const real = images.filter((i) => i.origin === 'REAL').length;
        const feasible = scoredFeasibility(config, { real, synthetic: images.length - real });
        let sequence;
        try {
          sequence = buildSequence({ images, practicePool, config, seed });
        } catch (e) {
          // Only an honest "impossible" is acceptable, and never for comfortable inputs.
          expect(e).toBeInstanceOf(StudyInfeasibleError);
          expect(feasible.ok && comfortable(config, perPatient)).toBe(false);
          // The practice part is built first and may be the infeasible one.
          if (!feasible.ok && !/practice/.test((e as Error).message)) expect((e as Error).message).toBe(feasible.reason);
          return;
        }
        built++;
        expect(feasible.ok).toBe(true);
        expect(sequence.seed).toBe(seed);
        expect(sequenceViolations({ items: sequence.items, images, practicePool, config })).toEqual([]);
        expect(sequence.items).toHaveLength(config.practiceItems + config.imagesPerReader + config.repeatedItems);
      }),
      { numRuns: 300 },
    );
    expect(built).toBeGreaterThan(150);
  });

  it('keeps block counts exactly as apportioned', () => {
    const config = parseStudyConfig({ imagesPerReader: 100, syntheticFraction: 0.3, blockSize: 25, maxRunLength: 4 });
    const images = pool('img', 70, 30, () => undefined);
    const { items } = buildSequence({ images, config, seed: readerSeed('s', 'r') });
    const origin = new Map(images.map((i) => [i.id, i.origin]));
    const perBlock = [1, 2, 3, 4].map((b) => items.filter((i) => i.block === b && origin.get(i.imageId) === 'SYNTHETIC').length);
    expect(perBlock).toEqual(blockCounts(70, 30, 25).map((b) => b.synthetic));
    expect(perBlock.every((s) => s === 7 || s === 8)).toBe(true);
  });

  it('is deterministic: same inputs, same order, whatever the input order', () => {
    const config = parseStudyConfig({ imagesPerReader: 60, repeatedItems: 6, practiceItems: 4, blockSize: 22 });
    const images = pool('img', 30, 30, (i) => `p${i % 17}`);
    const practicePool = pool('practice', 5, 5, (i) => `q${i % 3}`);
    const seed = readerSeed('study-secret', 'reader-1');
    const a = buildSequence({ images, practicePool, config, seed });
    const b = buildSequence({ images: [...images].reverse(), practicePool: [...practicePool].reverse(), config, seed });
    expect(b).toEqual(a);
  });

  it('gives different readers different orders', () => {
    const config = parseStudyConfig({ imagesPerReader: 40, repeatedItems: 4 });
    const images = pool('img', 20, 20, (i) => `p${i % 13}`);
    const orders = new Set(
      Array.from({ length: 20 }, (_, r) =>
        buildSequence({ images, config, seed: readerSeed('study-secret', `reader-${r}`) })
          .items.map((i) => i.imageId)
          .join(),
      ),
    );
    expect(orders.size).toBe(20);
  });

  it('puts practice items first, in block 0, and never mixes pools', () => {
    const config = parseStudyConfig({ imagesPerReader: 10, practiceItems: 4 });
    const images = pool('img', 5, 5, () => undefined);
    const practicePool = pool('practice', 3, 3, () => undefined);
    const { items } = buildSequence({ images, practicePool, config, seed: readerSeed('s', 'r') });
    expect(items.slice(0, 4).every((i) => i.phase === 'PRACTICE' && i.block === 0 && i.imageId.startsWith('practice'))).toBe(true);
    expect(items.slice(4).every((i) => i.phase === 'SCORED' && i.block === 1 && i.imageId.startsWith('img'))).toBe(true);
  });

  it('draws practice images from patients the other class did not use, when a patient has both classes', () => {
    // One real practice image (patient A) and synthetic ones of A and B: the synthetic item must come from B, or
    // the two practice items are one patient's, side by side. A draw blind to the real one picks A half the time.
    const config = parseStudyConfig({ imagesPerReader: 10, practiceItems: 2 });
    const images = pool('img', 5, 5, () => undefined);
    const practicePool: SequenceImage[] = [
      { id: 'practice-a-real', origin: 'REAL', patientKey: 'A' },
      { id: 'practice-a-synthetic', origin: 'SYNTHETIC', patientKey: 'A' },
      { id: 'practice-b-synthetic', origin: 'SYNTHETIC', patientKey: 'B' },
    ];
    for (let r = 0; r < 20; r++) {
      const { items } = buildSequence({ images, practicePool, config, seed: readerSeed('s', `reader-${r}`) });
      expect(items.filter((i) => i.phase === 'PRACTICE').map((i) => i.imageId).sort()).toEqual(['practice-a-real', 'practice-b-synthetic']);
    }
  });

  it('throws a clear error for an infeasible ratio', () => {
    const config = parseStudyConfig({ imagesPerReader: 100, syntheticFraction: 0.9, maxRunLength: 1 });
    const images = pool('img', 10, 90, () => undefined);
    expect(() => buildSequence({ images, config, seed: readerSeed('s', 'r') })).toThrow(
      /90 synthetic and 10 real images, but with runs of one class of at most 1/,
    );
  });

  it('throws a clear error when one patient dominates', () => {
    const config = parseStudyConfig({ imagesPerReader: 20 });
    const images = pool('img', 10, 10, (i) => (i < 12 ? 'big' : `p${i}`));
    expect(() => buildSequence({ images, config, seed: readerSeed('s', 'r') })).toThrow(
      /12 of the 20 items of the scored block come from one source patient; at most 10/,
    );
  });

  it('handles patients with a large share of the images, within bounded time', () => {
    // One patient with 40% of 20,000 images, another pair with 45% each: all orderable.
    const config = parseStudyConfig({ imagesPerReader: 2_000, maxRunLength: 2 });
    const oneHeavy = pool('img', 1_000, 1_000, (i) => (i % 5 < 2 ? 'big' : `p${i}`));
    const twoHeavy = pool('img', 1_000, 1_000, (i) => (i % 20 < 9 ? 'a' : i % 20 < 18 ? 'b' : `p${i}`));
    for (const images of [oneHeavy, twoHeavy]) {
      const { items } = buildSequence({ images, config, seed: readerSeed('s', 'r') });
      expect(sequenceViolations({ items, images, config })).toEqual([]);
    }
  });

  it('solves tight patient layouts and proves impossible ones', () => {
    // 10 of 20 from one patient: that patient must take every other position.
    const config = parseStudyConfig({ imagesPerReader: 20, maxRunLength: 2 });
    const tight = pool('img', 10, 10, (i) => (i % 2 === 0 ? 'big' : `p${i}`));
    const { items } = buildSequence({ images: tight, config, seed: readerSeed('s', 'r') });
    expect(sequenceViolations({ items, images: tight, config })).toEqual([]);
    // Two patients each with one real and one synthetic image, alternating classes: impossible.
    const alternating = parseStudyConfig({ imagesPerReader: 4, maxRunLength: 1 });
    const crossed = [
      { id: 'a', origin: 'REAL' as const, patientKey: 'A' },
      { id: 'b', origin: 'SYNTHETIC' as const, patientKey: 'A' },
      { id: 'c', origin: 'REAL' as const, patientKey: 'B' },
      { id: 'd', origin: 'SYNTHETIC' as const, patientKey: 'B' },
    ];
    expect(() => buildSequence({ images: crossed, config: alternating, seed: readerSeed('s', 'r') })).toThrow(
      /exhaustive search found none/,
    );
  });

  it('rejects malformed inputs', () => {
    const config = parseStudyConfig({ imagesPerReader: 4, practiceItems: 2 });
    const images = pool('img', 2, 2, () => undefined);
    const seed = readerSeed('s', 'r');
    expect(() => buildSequence({ images: images.slice(1), config, seed })).toThrow(/needs 4 scored images .* 3 were given/);
    expect(() => buildSequence({ images, config, seed })).toThrow(/Not enough real practice images: 1 needed .* 0 available/);
    expect(() => buildSequence({ images, practicePool: images, config, seed })).toThrow(InsufficientImagesError);
    expect(() => buildSequence({ images, config, seed: 'not-hex' })).toThrow(/seed/);
  });

  it('orders 20,000 images with repeats and blocks well under a second', () => {
    const config = parseStudyConfig({ imagesPerReader: 20_000, repeatedItems: 1_000, blockSize: 500, practiceItems: 10 });
    const images = pool('img', 10_000, 10_000, (i) => `p${i % 4000}`);
    const practicePool = pool('practice', 10, 10, () => undefined);
    // Best of three readers, so a busy test machine does not make the check flaky.
    let best = Infinity;
    for (const reader of ['r1', 'r2', 'r3']) {
      const start = performance.now();
      const { items } = buildSequence({ images, practicePool, config, seed: readerSeed('s', reader) });
      best = Math.min(best, performance.now() - start);
      expect(items).toHaveLength(21_010);
    }
    expect(best).toBeLessThan(1000);
  });
});
