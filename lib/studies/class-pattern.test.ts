import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockCounts, buildClassPattern, canComplete, classPatternFeasibility, type BlockCounts } from './class-pattern';
import { StudyInfeasibleError } from './errors';
import { rngFromSeed } from './rng';

/** Exhaustive search: is there any completion? Exponential, for small counts only. */
function bruteForce(n0: number, n1: number, last: number, run: number, L: number, end: [number, number]): boolean {
  if (n0 === 0 && n1 === 0) return last === -1 || run <= end[last];
  const n = [n0, n1];
  return [0, 1].some((c) => {
    const next = c === last ? run + 1 : 1;
    if (n[c] === 0 || next > L) return false;
    return bruteForce(c === 0 ? n0 - 1 : n0, c === 1 ? n1 - 1 : n1, c, next, L, end);
  });
}

function maxRun(xs: readonly string[]): number {
  let best = 0;
  let run = 0;
  xs.forEach((x, i) => {
    run = i > 0 && x === xs[i - 1] ? run + 1 : 1;
    best = Math.max(best, run);
  });
  return best;
}

const seedArb = fc.stringMatching(/^[0-9a-f]{32}$/);

describe('canComplete', () => {
  it('agrees with exhaustive search on every small case', () => {
    let cases = 0;
    for (let L = 1; L <= 4; L++)
      for (let n0 = 0; n0 <= 7; n0++)
        for (let n1 = 0; n1 <= 7; n1++)
          for (const last of [-1, 0, 1] as const)
            for (let run = last === -1 ? 0 : 1; run <= (last === -1 ? 0 : L); run++)
              for (let e0 = 0; e0 <= L; e0++)
                for (let e1 = 0; e1 <= L; e1++) {
                  cases++;
                  expect(canComplete(n0, n1, last, run, L, [e0, e1]), JSON.stringify({ L, n0, n1, last, run, e0, e1 })).toBe(
                    bruteForce(n0, n1, last, run, L, [e0, e1]),
                  );
                }
    expect(cases).toBeGreaterThan(20_000);
  });
});

describe('blockCounts', () => {
  it('splits into blocks that add up and keep the ratio within one image', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), fc.integer({ min: 1, max: 400 }), (real, synthetic, size) => {
        fc.pre(real + synthetic > 0);
        const blocks = blockCounts(real, synthetic, size);
        const n = real + synthetic;
        expect(blocks.reduce((s, b) => s + b.real, 0)).toBe(real);
        expect(blocks.reduce((s, b) => s + b.synthetic, 0)).toBe(synthetic);
        blocks.forEach((b, i) => {
          const len = b.real + b.synthetic;
          expect(len).toBe(i < blocks.length - 1 ? Math.min(size, n) : n - size * (blocks.length - 1));
          expect(Math.abs(b.synthetic - (synthetic * len) / n)).toBeLessThan(1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is one block by default', () => {
    expect(blockCounts(3, 5)).toEqual([{ real: 3, synthetic: 5 }]);
  });
});

describe('buildClassPattern', () => {
  const blocksArb = fc
    .record({
      real: fc.integer({ min: 1, max: 60 }),
      synthetic: fc.integer({ min: 1, max: 60 }),
      size: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
      L: fc.integer({ min: 1, max: 5 }),
    })
    .map(({ real, synthetic, size, L }) => ({ blocks: blockCounts(real, synthetic, size), L }));

  it('keeps block counts and the run limit whenever a pattern exists, and says why otherwise', () => {
    fc.assert(
      fc.property(seedArb, blocksArb, (seed, { blocks, L }) => {
        const feasible = classPatternFeasibility(blocks, L);
        if (!feasible.ok) {
          expect(() => buildClassPattern(rngFromSeed(seed), blocks, L)).toThrow(StudyInfeasibleError);
          return;
        }
        const pattern = buildClassPattern(rngFromSeed(seed), blocks, L);
        expect(maxRun(pattern)).toBeLessThanOrEqual(L);
        let start = 0;
        for (const b of blocks) {
          const part = pattern.slice(start, start + b.real + b.synthetic);
          expect(part.filter((o) => o === 'SYNTHETIC').length).toBe(b.synthetic);
          start += b.real + b.synthetic;
        }
        expect(start).toBe(pattern.length);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with exhaustive search across several small blocks', () => {
    const small = fc.record({
      blocks: fc.array(fc.record({ real: fc.nat(3), synthetic: fc.nat(3) }), { minLength: 1, maxLength: 3 }),
      L: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(small, ({ blocks, L }) => {
        const nonEmpty = blocks.filter((b) => b.real + b.synthetic > 0);
        fc.pre(nonEmpty.length > 0);
        expect(classPatternFeasibility(nonEmpty, L).ok).toBe(existsPattern(nonEmpty, L));
      }),
      { numRuns: 300 },
    );
  });

  it('explains an infeasible ratio', () => {
    const blocks = blockCounts(10, 90);
    expect(() => buildClassPattern(rngFromSeed('0'.repeat(32)), blocks, 1)).toThrow(
      /90 synthetic and 10 real images, but with runs of one class of at most 1 .* at most 11 synthetic images fit.*longest run of one class to at least 9/,
    );
    const lopsided = [
      { real: 2, synthetic: 18 },
      { real: 18, synthetic: 2 },
    ];
    const r = classPatternFeasibility(lopsided, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^Block 1 of 2 holds 18 synthetic and 2 real images.* at most 9 synthetic images fit in one block/);
    const chained = classPatternFeasibility(
      [
        { real: 1, synthetic: 1 },
        { real: 2, synthetic: 0 },
        { real: 1, synthetic: 1 },
        { real: 2, synthetic: 0 },
      ],
      2,
    );
    expect(chained.ok).toBe(false);
    if (!chained.ok) expect(chained.reason).toMatch(/^Each block can be ordered on its own, but the blocks cannot be chained/);
  });

  it('differs between seeds', () => {
    const blocks = blockCounts(50, 50);
    const a = buildClassPattern(rngFromSeed('1'.repeat(32)), blocks, 3).join();
    const b = buildClassPattern(rngFromSeed('2'.repeat(32)), blocks, 3).join();
    expect(a).not.toBe(b);
  });
});

/** Exhaustive: all arrangements of each block, chained, with the run limit across boundaries. */
function existsPattern(blocks: readonly BlockCounts[], L: number): boolean {
  const go = (b: number, left: [number, number], last: number, run: number): boolean => {
    if (left[0] === 0 && left[1] === 0) {
      if (b === blocks.length - 1) return true;
      const next = blocks[b + 1];
      return go(b + 1, [next.real, next.synthetic], last, run);
    }
    return [0, 1].some((c) => {
      const r = c === last ? run + 1 : 1;
      if (left[c] === 0 || r > L) return false;
      const l: [number, number] = [left[0], left[1]];
      l[c]--;
      return go(b, l, c, r);
    });
  };
  return go(0, [blocks[0].real, blocks[0].synthetic], -1, 0);
}
