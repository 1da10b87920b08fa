import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aucCovariance } from './covariance';
import { placementValues } from './empirical-auc';
import { cellOrder, pairedConcordance } from './paired-concordance';
import { mean, psiMatrix } from '@/tests/support/mrmc';
import type { CovMethod } from './types';

/*
 * Each fast estimator against a literal O(n1·n0)-per-pair transcription of its definition.
 */

type Cell = { pos: number[]; neg: number[] };

function bruteAuc(c: Cell): number {
  return mean(psiMatrix(c.pos, c.neg).flat());
}

function bruteDeLong(cells: Cell[]): number[][] {
  const n1 = cells[0].pos.length;
  const n0 = cells[0].neg.length;
  const m = cells.map((c) => psiMatrix(c.pos, c.neg));
  const v10 = m.map((p) => p.map((row) => mean(row)));
  const v01 = m.map((p) => c0(p, n0).map((col) => mean(col)));
  const a = m.map((p) => mean(p.flat()));
  return cells.map((_, k) =>
    cells.map((__, l) => {
      let s10 = 0;
      for (let i = 0; i < n1; i++) s10 += (v10[k][i] - a[k]) * (v10[l][i] - a[l]);
      let s01 = 0;
      for (let j = 0; j < n0; j++) s01 += (v01[k][j] - a[k]) * (v01[l][j] - a[l]);
      return s10 / (n1 - 1) / n1 + s01 / (n0 - 1) / n0;
    }),
  );
}

function c0(p: number[][], n0: number): number[][] {
  return Array.from({ length: n0 }, (_, j) => p.map((row) => row[j]));
}

function bruteJackknife(cells: Cell[]): number[][] {
  const n1 = cells[0].pos.length;
  const n0 = cells[0].neg.length;
  const theta: number[][] = []; // [case][cell]
  for (let i = 0; i < n1; i++) theta.push(cells.map((c) => bruteAuc({ pos: c.pos.filter((_, x) => x !== i), neg: c.neg })));
  for (let j = 0; j < n0; j++) theta.push(cells.map((c) => bruteAuc({ pos: c.pos, neg: c.neg.filter((_, x) => x !== j) })));
  const n = n1 + n0;
  const mu = cells.map((_, k) => mean(theta.map((t) => t[k])));
  return cells.map((_, k) =>
    cells.map((__, l) => ((n - 1) / n) * theta.reduce((s, t) => s + (t[k] - mu[k]) * (t[l] - mu[l]), 0)),
  );
}

/** MRMCaov's `unbiased_balanced` formula, evaluated literally on ψ matrices. */
function bruteUnbiased(cells: Cell[]): number[][] {
  const n1 = cells[0].pos.length;
  const n0 = cells[0].neg.length;
  const m = cells.map((c) => psiMatrix(c.pos, c.neg));
  const delta = (n0 * n1) ** 2 / (n0 * (n0 - 1) * n1 * (n1 - 1));
  return m.map((x) =>
    m.map((y) => {
      const sx = x.flat().reduce((a, b) => a + b, 0);
      const sy = y.flat().reduce((a, b) => a + b, 0);
      let rows = 0;
      for (let i = 0; i < n1; i++) rows += x[i].reduce((a, b) => a + b, 0) * y[i].reduce((a, b) => a + b, 0);
      let cols = 0;
      for (let j = 0; j < n0; j++) {
        let cx = 0;
        let cy = 0;
        for (let i = 0; i < n1; i++) {
          cx += x[i][j];
          cy += y[i][j];
        }
        cols += cx * cy;
      }
      let both = 0;
      for (let i = 0; i < n1; i++) for (let j = 0; j < n0; j++) both += x[i][j] * y[i][j];
      return ((1 - delta) * sx * sy + delta * (rows + cols - both)) / (n0 * n1) ** 2;
    }),
  );
}

const BRUTE: Record<CovMethod, (cells: Cell[]) => number[][]> = {
  delong: bruteDeLong,
  jackknife: bruteJackknife,
  unbiased: bruteUnbiased,
};

/** 1–5 cells rated on the same 2–9 truth-1 and 2–9 truth-0 cases, ratings on a coarse scale (ties). */
const cellsArb = fc
  .record({ k: fc.integer({ min: 1, max: 5 }), n1: fc.integer({ min: 2, max: 9 }), n0: fc.integer({ min: 2, max: 9 }), levels: fc.integer({ min: 1, max: 8 }) })
  .chain(({ k, n1, n0, levels }) =>
    fc.array(
      fc.record({
        pos: fc.array(fc.integer({ min: 0, max: levels }), { minLength: n1, maxLength: n1 }),
        neg: fc.array(fc.integer({ min: 0, max: levels }), { minLength: n0, maxLength: n0 }),
      }),
      { minLength: k, maxLength: k },
    ),
  );

/**
 * Relative 1e-12, with an absolute floor of 1e-15: the estimators are differences of terms of the order of
 * AUC products (at most 1), so a covariance that is exactly 0 (every rating tied, say) comes out of either
 * side as rounding of that order (seen: 2.5e-17 against 0 for the unbiased estimator on 8 + 3 tied cases,
 * fast-check seed -961848493). A non-zero covariance of these designs (small integer ratings, at most 9 + 9
 * cases) is a ratio of integers with a denominator below 1e9, far above that floor.
 */
function expectMatrixClose(actual: number[][], expected: number[][]) {
  const scale = Math.max(1e-12, ...expected.flat().map(Math.abs));
  actual.forEach((row, k) => row.forEach((v, l) => expect(Math.abs(v - expected[k][l])).toBeLessThanOrEqual(1e-12 * scale + 1e-15)));
}

describe('AUC covariance estimators against their brute-force definitions', () => {
  for (const method of ['delong', 'jackknife', 'unbiased'] as const) {
    it(`${method}: equal to the definition on random tied designs, symmetric`, () => {
      fc.assert(
        fc.property(cellsArb, (cells) => {
          const { cov, aucs } = aucCovariance(cells, method);
          expectMatrixClose(cov, BRUTE[method](cells));
          cells.forEach((c, k) => expect(aucs[k]).toBeCloseTo(bruteAuc(c), 14));
          cov.forEach((row, k) => row.forEach((v, l) => expect(v).toBe(cov[l][k])));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('DeLong and jackknife matrices have non-negative variances', () => {
    fc.assert(
      fc.property(cellsArb, (cells) => {
        for (const method of ['delong', 'jackknife'] as const) {
          aucCovariance(cells, method).cov.forEach((row, k) => expect(row[k]).toBeGreaterThanOrEqual(-1e-18));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('pairedConcordance equals Σ ψ′_k ψ′_l by the double loop', () => {
    fc.assert(
      fc.property(cellsArb, (cells) => {
        const a = cells[0];
        const b = cells[cells.length - 1];
        const ma = psiMatrix(a.pos, a.neg);
        const mb = psiMatrix(b.pos, b.neg);
        let expected = 0;
        ma.forEach((row, i) => row.forEach((v, j) => (expected += 4 * v * mb[i][j])));
        expect(pairedConcordance(cellOrder(a.pos, a.neg), cellOrder(b.pos, b.neg))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an unknown method and cells with different case counts', () => {
    const cells = [{ pos: [1, 2], neg: [0, 1] }];
    expect(() => aucCovariance(cells, 'bootstrap' as CovMethod)).toThrow(/unknown covariance method/);
    const uneven = [cells[0], { pos: [1, 2, 3], neg: [0, 1] }];
    for (const method of ['delong', 'jackknife', 'unbiased'] as const) {
      expect(() => aucCovariance(uneven, method)).toThrow(/differ in their number of cases/);
    }
  });

  it('jackknife leave-one-out AUCs from placement values equal recomputed ones', () => {
    const pos = [3, 1, 4, 1, 5];
    const neg = [2, 7, 1, 8];
    const p = placementValues(pos, neg);
    pos.forEach((_, i) => {
      const fast = (pos.length * p.auc - p.v10[i]) / (pos.length - 1);
      expect(fast).toBeCloseTo(bruteAuc({ pos: pos.filter((__, x) => x !== i), neg }), 14);
    });
  });
});
