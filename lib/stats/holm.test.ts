import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg';
import fixture from './fixtures/multiple.json';
import { holm } from './holm';
import { mismatch } from '@/tests/support/stats';

describe('holm against statsmodels multipletests(method="holm")', () => {
  it('matches every reference vector in input order', () => {
    for (const c of fixture) {
      const adj = holm(c.p);
      expect(adj).toHaveLength(c.p.length);
      adj.forEach((a, i) => expect(mismatch(a, c.holm[i])).toBeNull());
    }
  });

  it('is at least the BH adjustment and the raw p-value, at most 1, and permutation-equivariant', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), (p) => {
        const h = holm(p);
        const bh = benjaminiHochberg(p);
        p.forEach((x, i) => {
          expect(h[i]).toBeGreaterThanOrEqual(x);
          expect(h[i]).toBeLessThanOrEqual(1);
          expect(h[i]).toBeGreaterThanOrEqual(bh[i] * (1 - 1e-12));
        });
        const rev = holm([...p].reverse());
        expect(rev).toEqual([...h].reverse());
      }),
    );
  });

  it('rejects p-values outside [0, 1] or not numbers', () => {
    expect(() => holm([0.1, 1.2])).toThrow(/pValues\[1\] must be in \[0, 1\]/);
    expect(() => holm([NaN])).toThrow(TypeError);
    expect(() => holm('0.1' as unknown as number[])).toThrow(TypeError);
    expect(holm([])).toEqual([]);
  });
});
