import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion } from './apportion';
import { allowedPlans } from '@/tests/support/studies';
import { blockCounts } from './class-pattern';
import { parseStudyConfig } from './config';
import { StudyInfeasibleError } from './errors';
import { searchOrder } from './exact-search';
import { rngFromSeed } from './rng';
import { buildSequence } from './sequence';
import type { IndexedImage, SequenceImage } from './types';
import { sequenceViolations } from './validate';

interface Tiny {
  images: SequenceImage[];
  repeats: [number, number];
  L: number;
  gap: number;
  blockSize: number | undefined;
}

/**
 * Exhaustive search over image orders (not the engine's method): is there any order with the
 * planned block counts, runs ≤ L, no adjacent patients and repeat gaps? Tiny inputs only.
 */
function anyOrder({ images, repeats, L, gap }: Tiny, blocks: Array<{ real: number; synthetic: number }>): boolean {
  const n = images.length + repeats[0] + repeats[1];
  const blockEnds = new Map<number, { real: number; synthetic: number }>();
  let end = 0;
  for (const b of blocks) blockEnds.set((end += b.real + b.synthetic), b);
  const used = new Array<boolean>(images.length).fill(false);
  const repeated = new Array<boolean>(images.length).fill(false);
  const shownAt = new Array<number>(images.length).fill(-1);
  const left = [repeats[0], repeats[1]];
  const seq: number[] = [];
  const cls = (i: number) => (images[i].origin === 'REAL' ? 0 : 1);
  const go = (): boolean => {
    const q = seq.length;
    if (q === n) return true;
    for (let i = 0; i < images.length; i++) {
      const isRepeat = used[i];
      if (isRepeat && (repeated[i] || left[cls(i)] === 0 || q - shownAt[i] - 1 < gap)) continue;
      if (q > 0 && (images[seq[q - 1]].patientKey ?? seq[q - 1]) === (images[i].patientKey ?? i)) continue;
      let run = 1;
      while (run <= q && cls(seq[q - run]) === cls(i)) run++;
      if (run > L) continue;
      seq.push(i);
      if (isRepeat) (repeated[i] = true), left[cls(i)]--;
      else (used[i] = true), (shownAt[i] = q);
      const b = blockEnds.get(q + 1);
      let ok = true;
      if (b) {
        const start = q + 1 - b.real - b.synthetic;
        ok = seq.slice(start).filter((j) => cls(j) === 1).length === b.synthetic;
      }
      if (ok && go()) return true;
      seq.pop();
      if (isRepeat) (repeated[i] = false), left[cls(i)]++;
      else (used[i] = false), (shownAt[i] = -1);
    }
    return false;
  };
  return go();
}

const tinyArb = fc
  .record({
    origins: fc.array(fc.boolean(), { minLength: 2, maxLength: 6 }),
    patients: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
    repeated: fc.integer({ min: 0, max: 2 }),
    L: fc.integer({ min: 1, max: 3 }),
    gap: fc.integer({ min: 0, max: 3 }),
    blockSize: fc.option(fc.integer({ min: 2, max: 8 }), { nil: undefined }),
    seed: fc.stringMatching(/^[0-9a-f]{64}$/),
  })
  .filter((r) => r.origins.some((o) => o) && r.origins.some((o) => !o))
  .map((r) => {
    const images: SequenceImage[] = r.origins.map((synthetic, i) => ({
      id: `i${i}`,
      origin: synthetic ? 'SYNTHETIC' : 'REAL',
      patientKey: `p${r.patients[i]}`,
    }));
    const real = images.filter((i) => i.origin === 'REAL').length;
    const repeatedItems = Math.min(r.repeated, images.length);
    const [rr, rs] = apportion(repeatedItems, [real, images.length - real], [0, 0], [real, images.length - real]);
    return { images, repeats: [rr, rs] as [number, number], L: r.L, gap: r.gap, blockSize: r.blockSize, repeatedItems, seed: r.seed };
  });

describe('searchOrder and the whole builder on tiny inputs', () => {
  it('buildSequence succeeds exactly when some order satisfies every rule', () => {
    fc.assert(
      fc.property(tinyArb, (t) => {
        const real = t.images.filter((i) => i.origin === 'REAL').length;
        const S = t.images.length - real + t.repeats[1];
        const sizes = blockCounts(real + t.repeats[0], S, t.blockSize).map((b) => b.real + b.synthetic);
        // Any split the block rule allows, not only the one the engine tries first.
        const exists = allowedPlans(sizes, S).some((plan) =>
          anyOrder(t, plan.map((s, i) => ({ real: sizes[i] - s, synthetic: s }))),
        );
        const config = parseStudyConfig({
          imagesPerReader: t.images.length,
          repeatedItems: t.repeatedItems,
          repeatMinGap: t.gap,
          maxRunLength: t.L,
          blockSize: t.blockSize,
        });
        let built;
        try {
          built = buildSequence({ images: t.images, config, seed: t.seed });
        } catch (e) {
          expect(e).toBeInstanceOf(StudyInfeasibleError);
          expect(exists).toBe(false);
          return;
        }
        expect(exists).toBe(true);
        expect(sequenceViolations({ items: built.items, images: t.images, config })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('proves infeasibility or finds an order directly', () => {
    const img = (id: string, cls: 0 | 1, patient: number): IndexedImage => ({ id, cls, patient });
    const base = { rng: rngFromSeed('c'.repeat(32)), maxRunLength: 1, minGap: 2, repeats: [0, 0] as const, leading: -1, budget: 1e6 };
    // Two patients, each with one image per class, strictly alternating classes: impossible.
    const crossed = searchOrder({
      ...base,
      sizes: [4], synthetic: 2,
      originals: [[img('a', 0, 0), img('c', 0, 1)], [img('b', 1, 0), img('d', 1, 1)]],
    });
    expect(crossed.kind).toBe('infeasible');
    // Three patients make it possible.
    const open = searchOrder({
      ...base,
      sizes: [4], synthetic: 2,
      originals: [[img('a', 0, 0), img('c', 0, 1)], [img('b', 1, 2), img('d', 1, 1)]],
    });
    expect(open.kind).toBe('found');
    // A tiny budget gives up instead of running on.
    const capped = searchOrder({ ...base, budget: 1, sizes: [4], synthetic: 2, originals: [[img('a', 0, 0), img('c', 0, 1)], [img('b', 1, 0), img('d', 1, 1)]] });
    expect(capped.kind).toBe('budget');
  });
});
