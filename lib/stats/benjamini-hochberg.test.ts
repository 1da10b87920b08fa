import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg';
import fixture from './fixtures/multiple.json';
import { mismatch } from '@/tests/support/stats';

describe('benjaminiHochberg against statsmodels multipletests(method="fdr_bh")', () => {
  it('matches every reference vector in input order', () => {
    for (const c of fixture) {
      const adj = benjaminiHochberg(c.p);
      expect(adj).toHaveLength(c.p.length);
      adj.forEach((a, i) => expect(mismatch(a, c.bh[i])).toBeNull());
    }
  });

  it('keeps the order of the raw p-values and stays within [p, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), (p) => {
        const a = benjaminiHochberg(p);
        for (let i = 0; i < p.length; i++) {
          expect(a[i]).toBeGreaterThanOrEqual(p[i]);
          expect(a[i]).toBeLessThanOrEqual(1);
          for (let j = 0; j < p.length; j++) if (p[i] < p[j]) expect(a[i]).toBeLessThanOrEqual(a[j]);
        }
      }),
    );
  });

  it('rejects invalid p-values', () => {
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
    expect(() => benjaminiHochberg([null as unknown as number])).toThrow(TypeError);
  });
});
