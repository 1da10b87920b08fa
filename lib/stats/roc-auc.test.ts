import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/roc.json';
import { rocAuc } from './roc-auc';
import { mismatch } from '@/tests/support/stats';

describe('rocAuc against scipy mannwhitneyu + explicit DeLong placement matrix', () => {
  it(`matches ${fixture.length} reference cases (AUC, DeLong SE, clipped Wald CI)`, () => {
    for (const c of fixture) {
      const r = rocAuc(c.scores, c.truth as Array<0 | 1>, c.confLevel);
      expect(mismatch(r.auc, c.auc)).toBeNull();
      expect(mismatch(r.se, c.se, { abs: 1e-15 })).toBeNull();
      expect(mismatch(r.ci[0], c.ci[0], { abs: 1e-15 })).toBeNull();
      expect(mismatch(r.ci[1], c.ci[1], { abs: 1e-15 })).toBeNull();
      expect([r.nPositive, r.nNegative]).toEqual([c.nPositive, c.nNegative]);
    }
  });

  const data = fc
    .array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.constantFrom<0 | 1>(0, 1)), { minLength: 2, maxLength: 80 })
    .filter((d) => d.some((x) => x[1] === 1) && d.some((x) => x[1] === 0));

  it('equals the pair-counting definition (ties ½) and flips to 1 − AUC when scores are negated', () => {
    fc.assert(
      fc.property(data, (d) => {
        const scores = d.map((x) => x[0]);
        const truth = d.map((x) => x[1]);
        let wins = 0;
        let pairs = 0;
        for (const [sp, tp] of d) {
          if (tp !== 1) continue;
          for (const [sn, tn] of d) {
            if (tn !== 0) continue;
            pairs++;
            wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
          }
        }
        const r = rocAuc(scores, truth);
        expect(Math.abs(r.auc - wins / pairs)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(rocAuc(scores.map((s) => -s), truth).auc - (1 - r.auc))).toBeLessThanOrEqual(1e-12);
        if (!Number.isNaN(r.se)) {
          expect(r.ci[0]).toBeGreaterThanOrEqual(0);
          expect(r.ci[1]).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('gives NaN SE with a single case in a class, and rejects bad input', () => {
    expect(rocAuc([1, 2, 3], [0, 0, 1]).se).toBeNaN();
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/both classes/);
    expect(() => rocAuc([1, 2], [0])).toThrow(/same length/);
    expect(() => rocAuc([1, Infinity], [0, 1])).toThrow(TypeError);
    expect(() => rocAuc([1, 2], [0, 2 as 1])).toThrow(/0 or 1/);
    expect(() => rocAuc([1, 2], [0, 1], 95)).toThrow(RangeError);
  });
});
