import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cochranArmitageTrend } from './cochran-armitage';
import fixture from './fixtures/trend.json';
import { mismatch } from '@/tests/support/stats';

describe('cochranArmitageTrend against R prop.trend.test (weighted regression in fixtures/reference.py)', () => {
  it('matches every reference case; z carries the direction of the trend', () => {
    for (const c of fixture) {
      const r = cochranArmitageTrend(c.successes, c.totals, c.scores ?? undefined);
      expect(mismatch(r.z, c.z, { abs: 1e-12 })).toBeNull();
      expect(mismatch(r.pValue, c.pValue)).toBeNull();
    }
    expect(cochranArmitageTrend([10, 15, 20], [30, 30, 30]).z).toBeGreaterThan(0);
  });

  it('is unchanged by a positive affine change of the scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 2,
          maxLength: 8,
        }),
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        (groups, a, b) => {
          const totals = groups.map((g) => g[0]);
          const successes = groups.map((g) => Math.floor(g[0] * g[1]));
          const base = cochranArmitageTrend(successes, totals);
          const moved = cochranArmitageTrend(successes, totals, totals.map((_, i) => a * i + b));
          if (Number.isNaN(base.z)) expect(moved.z).toBeNaN();
          else expect(Math.abs(moved.z - base.z)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(base.z)));
        },
      ),
    );
  });

  it('rejects malformed input', () => {
    expect(() => cochranArmitageTrend([1], [2])).toThrow(/two groups/);
    expect(() => cochranArmitageTrend([1, 3], [2, 2])).toThrow(/successes\[1\]/);
    expect(() => cochranArmitageTrend([1, 1], [2, 2], [1])).toThrow(/same length/);
    expect(() => cochranArmitageTrend([0, 0], [0, 0])).toThrow(/must not all be 0/);
    expect(() => cochranArmitageTrend([1, 1], [2, 2.5])).toThrow(RangeError);
  });
});
