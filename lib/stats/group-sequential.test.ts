import { describe, expect, it } from 'vitest';
import { alphaSpent, type SpendingFamily } from './alpha-spending';
import fixture from './fixtures/group-sequential.json';
import { groupSequentialDesign } from './group-sequential';

/**
 * rpact (tolerance 1e-10) and this code agree to 1e-6; the largest gap, ~7e-7, is the last look
 * after a short step (0.9 → 1), where this code's boundary moves by < 1e-8 as its grid is refined.
 */
const TOL = 1e-6;

describe('groupSequentialDesign against R rpact getDesignGroupSequential', () => {
  it(`matches ${fixture.designs.length} designs (2–5 looks, both families, α 0.05 / 0.025, one- and two-sided) to 1e-6`, () => {
    const bad: string[] = [];
    for (const d of fixture.designs) {
      const family = d.family as SpendingFamily;
      const r = groupSequentialDesign({
        informationRates: d.informationRates,
        alpha: d.alpha,
        sided: d.sided as 1 | 2,
        family,
      });
      const where = `${family} α=${d.alpha} sided=${d.sided} t=${d.informationRates.join('/')}`;
      for (const key of ['criticalValues', 'alphaSpent', 'stageLevels'] as const) {
        d[key].forEach((expected, k) => {
          const err = Math.abs(r[key][k] - expected);
          if (!(err <= TOL)) bad.push(`${where} ${key}[${k}]: expected ${expected}, got ${r[key][k]}`);
        });
      }
      d.informationRates.forEach((t, k) => {
        const err = Math.abs(d.sided * alphaSpent(family, d.alpha / d.sided, t) - d.alphaSpent[k]);
        if (!(err <= TOL)) bad.push(`${where} alphaSpent(${t})`);
      });
    }
    expect(bad).toEqual([]);
    expect(new Set(fixture.designs.map((d) => d.informationRates.length))).toEqual(new Set([2, 3, 4, 5]));
  }, 60_000);

  it("O'Brien–Fleming type spends less early than Pocock type and both spend α by the end", () => {
    for (const t of [0.1, 0.25, 0.5, 0.75]) {
      expect(alphaSpent('obrien-fleming', 0.05, t)).toBeLessThan(alphaSpent('pocock', 0.05, t));
    }
    expect(alphaSpent('obrien-fleming', 0.05, 1)).toBe(0.05);
    expect(alphaSpent('pocock', 0.025, 1)).toBe(0.025);
    expect(alphaSpent('pocock', 0.025, 0)).toBe(0);
  });

  it('refuses bad plans with a message naming the problem', () => {
    expect(() => groupSequentialDesign({ informationRates: [1] })).toThrow(/2 to 5 looks/);
    expect(() => groupSequentialDesign({ informationRates: [0.1, 0.2, 0.3, 0.4, 0.5, 1] })).toThrow(/2 to 5 looks/);
    expect(() => groupSequentialDesign({ informationRates: [0.6, 0.5, 1] })).toThrow(/increase/);
    expect(() => groupSequentialDesign({ informationRates: [0.5, 0.9] })).toThrow(/information rate 1/);
    expect(() => groupSequentialDesign({ informationRates: [0.5, 1], alpha: 0.7 })).toThrow(/alpha/);
    expect(() => alphaSpent('linear' as SpendingFamily, 0.05, 0.5)).toThrow(/family/);
  });
});
