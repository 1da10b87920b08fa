import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBlocks } from './block-plan';
import { blockCounts, classPatternFeasibility } from './class-pattern';
import { allowedPlans } from '@/tests/support/studies';

describe('planBlocks', () => {
  it('finds a plan exactly when some allowed split admits a pattern', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 18 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: 4 })),
        ),
        ([n, synthetic, size, L]) => {
          const sizes = blockCounts(n - synthetic, synthetic, size).map((b) => b.real + b.synthetic);
          const exists = allowedPlans(sizes, synthetic).some(
            (plan) => classPatternFeasibility(plan.map((s, i) => ({ real: sizes[i] - s, synthetic: s })), L).ok,
          );
          const result = planBlocks(n - synthetic, synthetic, size, L);
          expect(result.ok).toBe(exists);
          if (!result.ok) return;
          expect(classPatternFeasibility(result.blocks, L).ok).toBe(true);
          result.blocks.forEach((b, i) => {
            expect(b.real + b.synthetic).toBe(sizes[i]);
            expect(Math.abs(b.synthetic - (synthetic * sizes[i]) / n)).toBeLessThan(1);
          });
        },
      ),
      { numRuns: 600 },
    );
  });

  it('prefers plain cumulative rounding', () => {
    expect(planBlocks(50, 50, 20, 3)).toEqual({ ok: true, blocks: blockCounts(50, 50, 20) });
  });

  it('moves an image between blocks when rounding makes a block unorderable', () => {
    // 12 real + 2 synthetic, runs ≤ 4, blocks of 10: rounding gives 9 + 1 in block 1 (needs ≤ 8).
    expect(classPatternFeasibility(blockCounts(12, 2, 10), 4).ok).toBe(false);
    expect(planBlocks(12, 2, 10, 4)).toEqual({
      ok: true,
      blocks: [
        { real: 8, synthetic: 2 },
        { real: 4, synthetic: 0 },
      ],
    });
  });

  it('reports the rounding plan’s reason when nothing works', () => {
    const r = planBlocks(90, 10, undefined, 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/holds 90 real and 10 synthetic images/);
  });
});
