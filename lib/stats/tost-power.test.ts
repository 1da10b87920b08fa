import { describe, expect, it } from 'vitest';
import fixture from './fixtures/power.json';
import { mismatch } from '@/tests/support/stats';
import { tostPower, tostSampleSize } from './tost-power';

describe('tostPower and tostSampleSize against a brute-force scipy reference', () => {
  it(`tostPower matches ${fixture.tostPower.length} reference cases`, () => {
    const bad: string[] = [];
    for (const c of fixture.tostPower) {
      const why = mismatch(tostPower(c.n, c.pTrue, c.margin, { p0: c.p0, alpha: c.alpha }), c.power, { abs: 1e-15 });
      if (why) bad.push(`${JSON.stringify(c)}: ${why}`);
    }
    expect(bad).toEqual([]);
  });

  it('tostSampleSize finds the first n that reaches the power', () => {
    for (const c of fixture.tostSampleSize) {
      expect({ ...c, n: tostSampleSize(c.pTrue, c.margin, c.power, { p0: c.p0, alpha: c.alpha }) }).toEqual(c);
    }
  });

  it('rejects a pTrue outside the equivalence region', () => {
    expect(() => tostSampleSize(0.65, 0.1, 0.8)).toThrow(/strictly inside/);
    expect(() => tostSampleSize(0.6, 0.1, 0.8)).toThrow(RangeError);
    expect(() => tostSampleSize(0.5, 0.6, 0.8)).toThrow(RangeError);
    expect(() => tostPower(10, 0.5, 0)).toThrow(/margin/);
  });
});
