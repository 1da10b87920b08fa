import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { meanSquares } from './anova';
import { orCovarianceAverages } from './covariance-averages';
import { mrmcOrHillis } from './mrmc-or-hillis';
import { orHillis } from './or-hillis';
import { closeTo } from '@/tests/support/mrmc';
import type { MrmcRecord } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));
function fixtureRecords(name: string): MrmcRecord[] {
  const fx = JSON.parse(readFileSync(path.join(here, 'fixtures', `${name}.json`), 'utf8')) as {
    records: Array<[string, string, string, 0 | 1, number]>;
  };
  return fx.records.map(([reader, test, kase, truth, rating]) => ({ reader, test, case: kase, truth, rating }));
}

/** Every reader gives the same rating to a case under a test: identical readers. */
function cloneReaders(ratings: Array<[0 | 1, number]>, readers: string[], tests: string[]): MrmcRecord[] {
  return tests.flatMap((test, t) =>
    readers.flatMap((reader) =>
      ratings.map(([truth, rating], c) => ({ reader, test, case: `c${c}`, truth, rating: rating + t * truth * 0.5 })),
    ),
  );
}

describe('OR–Hillis building blocks', () => {
  it('mean squares of a small table', () => {
    // Hand computation: test means 0.7, 0.8; reader means 0.7, 0.75, 0.8; grand 0.75.
    const ms = meanSquares([
      [0.6, 0.7, 0.8],
      [0.8, 0.8, 0.8],
    ]);
    expect(ms.t).toBeCloseTo((3 * (0.05 ** 2 * 2)) / 1, 15);
    expect(ms.r).toBeCloseTo((2 * (0.05 ** 2 * 2)) / 2, 15);
    expect(ms.tr).toBeCloseTo((0.05 ** 2 * 4) / 2, 15);
    expect(meanSquares([[0.6, 0.8]])).toEqual({ r: 0.02000000000000001 });
  });

  it('covariance averages group cells by same/different reader and test', () => {
    // 2 tests × 2 readers; entry encodes its class so each average is that class's value.
    const cls = (k: number, l: number) => {
      const sameT = Math.floor(k / 2) === Math.floor(l / 2);
      const sameR = k % 2 === l % 2;
      return sameT ? (sameR ? 10 : 2) : sameR ? 1 : 3;
    };
    const cov = Array.from({ length: 4 }, (_, k) => Array.from({ length: 4 }, (__, l) => cls(k, l)));
    expect(orCovarianceAverages(cov, 2, 2)).toEqual({ error: 10, cov1: 1, cov2: 2, cov3: 3 });
    expect(orCovarianceAverages(cov.slice(0, 2).map((r) => r.slice(0, 2)), 1, 2)).toEqual({ error: 10, cov2: 2 });
  });

  it('validates its table', () => {
    expect(() =>
      orHillis({ tests: ['a'], readers: ['1', '2'], auc: [[0.5]], cov: [[0]], confLevel: 0.95, nullAuc: 0.5 }),
    ).toThrow(/1×2 test × reader table/);
  });
});

describe('OR–Hillis edge behaviour', () => {
  it('clips Cov2 − Cov3 < 0 to 0: denominator MS(T×R), df2 = (T − 1)(R − 1); Cov2 < 0: df = R − 1', () => {
    for (const cov of ['delong', 'jackknife', 'unbiased'] as const) {
      const res = mrmcOrHillis(fixtureRecords('cov2-negative'), { cov });
      const { cov2, cov3 } = res.varianceComponents;
      expect(cov2 - cov3!).toBeLessThan(0);
      expect(res.overall!.df2).toBeCloseTo(2, 12);
      expect(res.difference!.se).toBeCloseTo(Math.sqrt((2 / 3) * res.meanSquares.tr!), 15);
      for (const test of res.design.tests) {
        const alone = mrmcOrHillis(fixtureRecords('cov2-negative').filter((r) => r.test === test), { cov });
        expect(alone.varianceComponents.cov2).toBeLessThan(0);
        expect(alone.tests[0].df).toBeCloseTo(2, 12);
        expect(alone.tests[0].se).toBeCloseTo(Math.sqrt(alone.meanSquares.r / 3), 15);
      }
    }
  });

  it('identical readers: MS(R) = 0 gives infinite df and a normal-quantile interval', () => {
    const ratings: Array<[0 | 1, number]> = [
      [0, 1], [0, 2], [0, 3], [0, 2], [1, 2], [1, 4], [1, 5], [1, 3],
    ];
    const res = mrmcOrHillis(cloneReaders(ratings, ['a', 'b', 'c'], ['T']));
    const t = res.tests[0];
    expect(res.meanSquares.r).toBe(0);
    expect(t.df).toBe(Infinity);
    expect(t.se).toBeGreaterThan(0);
    expect(closeTo(t.ci[1] - t.auc, 1.959963984540054 * t.se, 1e-12)).toBe(true);
    expect(t.pValueVsNull).toBeGreaterThan(0);
    expect(t.pValueVsNull).toBeLessThan(1);
  });

  it('perfect readers: SE 0, df undefined (NaN), collapsed CI, limiting p-values', () => {
    const ratings: Array<[0 | 1, number]> = [
      [0, 1], [0, 2], [0, 1], [1, 4], [1, 5], [1, 5],
    ];
    const one = mrmcOrHillis(cloneReaders(ratings, ['a', 'b'], ['T']));
    expect(one.tests[0]).toMatchObject({ auc: 1, se: 0, ci: [1, 1], pValueVsNull: 0 });
    expect(one.tests[0].df).toBeNaN();
    expect(mrmcOrHillis(cloneReaders(ratings, ['a', 'b'], ['T']), { nullAuc: 1 }).tests[0].pValueVsNull).toBe(1);
    const two = mrmcOrHillis(cloneReaders(ratings, ['a', 'b'], ['T1', 'T2']));
    expect(two.difference).toMatchObject({ estimate: 0, se: 0, pValue: 1, ci: [0, 0] });
    expect(two.overall!.pValue).toBe(1);
    expect(two.overall!.f).toBeNaN();
  });
});
