import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mrmcOrHillis } from './mrmc-or-hillis';
import { rng, simulateDesign } from '@/tests/support/mrmc';
import type { MrmcRecord } from './types';

const base = simulateDesign({ seed: 7, readers: 4, tests: 2, n0: 12, n1: 10, round: (z) => Math.round(z * 2) });
const three = simulateDesign({ seed: 8, readers: 3, tests: 3, n0: 15, n1: 15, round: (z) => Math.round(z * 10) / 10 });
const single = simulateDesign({ seed: 9, readers: 5, tests: 1, n0: 20, n1: 20 });

describe('mrmcOrHillis: result shape', () => {
  it('one test: only the single-test analysis and error / cov2 / varR', () => {
    const res = mrmcOrHillis(single);
    expect(res.tests).toHaveLength(1);
    expect(res.difference).toBeUndefined();
    expect(res.overall).toBeUndefined();
    expect(res.pairwise).toBeUndefined();
    expect(Object.keys(res.varianceComponents).sort()).toEqual(['cov2', 'error', 'varR']);
    expect(res.design).toMatchObject({ cov: 'delong', confLevel: 0.95, nullAuc: 0.5, nCases0: 20, nCases1: 20 });
    const t = res.tests[0];
    expect(t.perReader.map((r) => r.reader)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(t.ci[0]).toBeLessThan(t.auc);
    expect(t.ci[1]).toBeGreaterThan(t.auc);
  });

  it('two tests: difference = first − second, equal to the single pairwise row, F = t²', () => {
    const res = mrmcOrHillis(base);
    const d = res.difference!;
    const p = res.pairwise![0];
    expect(p).toMatchObject({ testA: 't1', testB: 't2' });
    expect(d.estimate).toBe(res.tests[0].auc - res.tests[1].auc);
    expect(d).toMatchObject({ estimate: p.estimate, se: p.se, df: p.df, pValue: p.pValue, ci: p.ci });
    expect(d.f).toBeCloseTo(p.t * p.t, 12);
    expect(res.overall!.pValue).toBeCloseTo(d.pValue, 14);
    expect(Object.keys(res.varianceComponents).sort()).toEqual(['cov1', 'cov2', 'cov3', 'error', 'varR', 'varTR']);
  });

  it('three tests: overall F on 2 df and every pair in natural order, no `difference`', () => {
    const res = mrmcOrHillis(three);
    expect(res.difference).toBeUndefined();
    expect(res.overall!.df1).toBe(2);
    expect(res.pairwise!.map((p) => `${p.testA}-${p.testB}`)).toEqual(['t1-t2', 't1-t3', 't2-t3']);
    for (const p of res.pairwise!) expect(p.df).toBe(res.overall!.df2);
  });

  it('natural order of numeric test ids decides the sign of the difference', () => {
    const relabel = base.map((r) => ({ ...r, test: r.test === 't1' ? '10' : '9' }));
    const res = mrmcOrHillis(relabel);
    expect(res.design.tests).toEqual(['9', '10']);
    expect(res.difference!.estimate).toBeCloseTo(-mrmcOrHillis(base).difference!.estimate, 15);
  });
});

describe('mrmcOrHillis: invariances', () => {
  it('does not depend on record order', () => {
    const expected = mrmcOrHillis(base, { cov: 'unbiased' });
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const u = rng(seed);
        const shuffled = base
          .map((r) => [u(), r] as const)
          .sort((a, b) => a[0] - b[0])
          .map(([, r]) => r);
        expect(mrmcOrHillis(shuffled, { cov: 'unbiased' })).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('depends on ratings only through their order within each reader×test', () => {
    for (const cov of ['delong', 'jackknife', 'unbiased'] as const) {
      const transformed = base.map((r) => ({ ...r, rating: Math.exp(r.rating / 4) * (r.reader === 'r2' ? 100 : 1) + 3 }));
      expect(mrmcOrHillis(transformed, { cov })).toEqual(mrmcOrHillis(base, { cov }));
    }
  });

  it('swapping test labels negates the difference and keeps F and p', () => {
    const swapped = base.map((r) => ({ ...r, test: r.test === 't1' ? 't2' : 't1' }));
    const a = mrmcOrHillis(base).difference!;
    const b = mrmcOrHillis(swapped).difference!;
    expect(b.estimate).toBeCloseTo(-a.estimate, 15);
    expect(b.f).toBeCloseTo(a.f, 12);
    expect(b.pValue).toBeCloseTo(a.pValue, 12);
    expect(b.ci[0]).toBeCloseTo(-a.ci[1], 15);
  });

  it('reversing every rating turns each AUC θ into 1 − θ', () => {
    const reversed = single.map((r) => ({ ...r, rating: -r.rating }));
    const a = mrmcOrHillis(single).tests[0];
    const b = mrmcOrHillis(reversed).tests[0];
    expect(b.auc).toBeCloseTo(1 - a.auc, 14);
    expect(b.se).toBeCloseTo(a.se, 14);
    expect(b.df).toBeCloseTo(a.df, 8);
  });
});

describe('mrmcOrHillis: options', () => {
  it('honours confLevel and nullAuc', () => {
    const wide = mrmcOrHillis(single, { confLevel: 0.99 }).tests[0];
    const narrow = mrmcOrHillis(single, { confLevel: 0.8 }).tests[0];
    expect(wide.ci[1] - wide.ci[0]).toBeGreaterThan(narrow.ci[1] - narrow.ci[0]);
    const atEstimate = mrmcOrHillis(single, { nullAuc: wide.auc }).tests[0];
    expect(atEstimate.pValueVsNull).toBeCloseTo(1, 12);
  });

  it('rejects invalid options', () => {
    expect(() => mrmcOrHillis(single, { cov: 'bootstrap' as 'delong' })).toThrow(/unknown cov "bootstrap"/);
    for (const confLevel of [0, 1, 1.5, NaN]) {
      expect(() => mrmcOrHillis(single, { confLevel })).toThrow(/confLevel must be strictly between 0 and 1/);
    }
    for (const nullAuc of [-0.1, 1.1, NaN]) {
      expect(() => mrmcOrHillis(single, { nullAuc })).toThrow(/nullAuc must be between 0 and 1/);
    }
  });
});

describe('mrmcOrHillis: behaviour under the null', () => {
  it('single-test test of AUC = 0.5 rejects at roughly the nominal 5 % when readers cannot tell', () => {
    // 300 seeded studies, 4 readers × 40 + 40 cases, ratings unrelated to truth.
    let rejections = 0;
    const runs = 300;
    for (let s = 0; s < runs; s++) {
      const records: MrmcRecord[] = simulateDesign({ seed: 1000 + s, readers: 4, tests: 1, n0: 40, n1: 40, separation: 0 });
      if (mrmcOrHillis(records).tests[0].pValueVsNull < 0.05) rejections++;
    }
    expect(rejections / runs).toBeGreaterThan(0.01);
    expect(rejections / runs).toBeLessThan(0.1);
  });
});
