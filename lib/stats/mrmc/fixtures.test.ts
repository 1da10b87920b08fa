import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aucCovariance } from './covariance';
import { buildDesign } from './design';
import { mrmcOrHillis } from './mrmc-or-hillis';
import { compareDeep } from '@/tests/support/mrmc';
import type { CovMethod, MrmcOptions, MrmcRecord } from './types';

/*
 * Cross-check against fixtures/*.json, written by fixtures/reference_or.py: an independent
 * numpy/scipy implementation (brute-force ψ matrices, literal leave-one-out jackknife, unbiased
 * covariance from U-statistic moments) on seeded synthetic designs.
 */

interface Fixture {
  name: string;
  description: string;
  analyses: Array<{
    options: MrmcOptions & { cov: CovMethod };
    expected: Record<string, unknown>;
    covariance: { cells: Array<[string, string]>; matrix: number[][] };
  }>;
  records: Array<[string, string, string, 0 | 1, number]>;
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const fixtures: Fixture[] = files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Fixture);

// ~1e-9 relative, with an absolute floor for quantities that are differences of near-equal
// terms (variance components, covariances near 0), where relative error is meaningless.
const REL = 1e-9;
const ABS = 1e-15;

const toRecords = (fx: Fixture): MrmcRecord[] =>
  fx.records.map(([reader, test, kase, truth, rating]) => ({ reader, test, case: kase, truth, rating }));

describe('python reference fixtures', () => {
  it('are present and cover the required designs', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    const tests = new Set(fixtures.map((fx) => fx.analyses[0].expected.tests as unknown[]).map((t) => t.length));
    expect([...tests].sort()).toEqual([1, 2, 3]);
    const readers = fixtures.map((fx) => (fx.analyses[0].expected.design as { readers: string[] }).readers.length);
    expect(Math.min(...readers)).toBe(2);
    expect(Math.max(...readers)).toBe(10);
    const negative = fixtures.find((fx) => fx.name === 'cov2-negative');
    for (const a of negative?.analyses ?? []) {
      const vc = a.expected.varianceComponents as { cov2: number; cov3: number };
      expect(vc.cov2).toBeLessThan(0);
      expect(vc.cov2 - vc.cov3).toBeLessThan(0);
    }
  });

  for (const fx of fixtures) {
    describe(`${fx.name}: ${fx.description}`, () => {
      const records = toRecords(fx);
      for (const analysis of fx.analyses) {
        const label = JSON.stringify(analysis.options);

        it(`${label}: full analysis matches`, () => {
          const actual = mrmcOrHillis(records, analysis.options);
          const { mismatches } = compareDeep(actual, analysis.expected, REL, ABS);
          expect(mismatches).toEqual([]);
          expect(Object.keys(actual).sort()).toEqual(Object.keys(analysis.expected).sort());
        });

        it(`${label}: covariance matrix matches`, () => {
          const design = buildDesign(records);
          const R = design.readers.length;
          const cellIds = design.tests.flatMap((t) => design.readers.map((r) => [t, r]));
          expect(cellIds).toEqual(analysis.covariance.cells);
          const cells = design.pos.map((pos, k) => ({ pos, neg: design.neg[k] }));
          const { cov } = aucCovariance(cells, analysis.options.cov);
          expect(cov.length).toBe(R * design.tests.length);
          expect(compareDeep(cov, analysis.covariance.matrix, REL, ABS).mismatches).toEqual([]);
        });
      }
    });
  }
});
