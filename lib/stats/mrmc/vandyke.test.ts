import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mrmcOrHillis } from './mrmc-or-hillis';
import type { MrmcRecord } from './types';

/*
 * The classic VanDyke et al. (1993) dataset against the published OR–Hillis results listed in
 * shared/data/mrmc/README.md (MRMCaov README / JSS article; OR-DBM MRMC 2.5 outputs kept in
 * RJafroc), each matched to the precision it is printed with.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const sharedDataDir = process.env.SHARED_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');
const csvPath = path.join(sharedDataDir, 'mrmc', 'VanDyke.csv');
if (!existsSync(csvPath)) {
  // A missing reference file must fail the run, never skip the checks silently.
  throw new Error(`VanDyke reference data not found at ${csvPath}; set SHARED_DATA_DIR to the shared data folder`);
}

function loadVanDyke(): MrmcRecord[] {
  const [header, ...lines] = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  expect(header.trim()).toBe('reader,treatment,case,truth,rating');
  return lines.map((line) => {
    const [reader, treatment, kase, truth, rating] = line.split(',');
    return { reader, test: treatment, case: kase, truth: Number(truth) as 0 | 1, rating: Number(rating) };
  });
}

/** Asserts that `actual` rounds to `printed` at the number of decimals printed. */
function expectPrinted(actual: number, printed: string) {
  const decimals = printed.split('.')[1]?.length ?? 0;
  const tolerance = 0.5 * 10 ** -decimals * (1 + 1e-9);
  expect(Math.abs(actual - Number(printed)), `${actual} printed as ${printed}`).toBeLessThanOrEqual(tolerance);
}

const records = loadVanDyke();

describe('VanDyke (5 readers × 2 treatments × 114 cases)', () => {
  it('has the documented shape', () => {
    expect(records).toHaveLength(1140);
    const res = mrmcOrHillis(records);
    expect(res.design).toMatchObject({ readers: ['1', '2', '3', '4', '5'], tests: ['1', '2'], nCases0: 69, nCases1: 45 });
  });

  it('per-reader and reader-averaged AUCs', () => {
    const res = mrmcOrHillis(records, { cov: 'jackknife' });
    const published = [
      ['0.91964573', '0.85877617', '0.90386473', '0.97310789', '0.82979066'],
      ['0.94782609', '0.90531401', '0.92173913', '0.99935588', '0.92995169'],
    ];
    res.tests.forEach((t, i) => t.perReader.forEach((r, j) => expectPrinted(r.auc, published[i][j])));
    expectPrinted(res.tests[0].auc, '0.89703704');
    expectPrinted(res.tests[1].auc, '0.94083736');
    expectPrinted(res.difference!.estimate, '-0.04380032');
  });

  it('jackknife covariance: F test, difference, components, single-test rows', () => {
    const res = mrmcOrHillis(records, { cov: 'jackknife' });
    const d = res.difference!;
    expectPrinted(d.f, '4.456319');
    expectPrinted(d.df, '15.25967');
    expectPrinted(d.pValue, '0.05166569');
    expectPrinted(d.se, '0.02074862');
    expectPrinted(d.ci[0], '-0.0879594986');
    expectPrinted(d.ci[1], '0.0003588544');
    expect(res.overall).toMatchObject({ df1: 1 });
    expectPrinted(res.overall!.f, '4.456319');
    expectPrinted(res.overall!.pValue, '0.05166569');
    const vc = res.varianceComponents;
    expectPrinted(vc.cov1!, '0.0003466137');
    expectPrinted(vc.cov2, '0.0003440748');
    expectPrinted(vc.cov3!, '0.0002390284');
    expectPrinted(vc.error, '0.0008022883');
    const [t1, t2] = res.tests;
    expectPrinted(t1.se, '0.03317360');
    expectPrinted(t1.df, '12.74465');
    expectPrinted(t1.ci[0], '0.82522360');
    expectPrinted(t1.ci[1], '0.96885048');
    expectPrinted(t2.se, '0.02156637');
    expectPrinted(t2.df, '12.71019');
    expectPrinted(t2.ci[0], '0.89413783');
    expectPrinted(t2.ci[1], '0.98753689');
  });

  it('jackknife covariance: variance components and mean squares printed by MRMCaov / RJafroc', () => {
    // MRMCaov README `summary(est)` and RJafroc UtilORVarComponentsFactorial(dataset02, "Wilcoxon",
    // covEstMethod = "jackknife"): reader, treatment:reader, MS(T), MS(R), MS(T:R).
    const res = mrmcOrHillis(records, { cov: 'jackknife' });
    expectPrinted(res.varianceComponents.varR, '0.0015349993');
    expectPrinted(res.varianceComponents.varTR!, '0.0002004025');
    expectPrinted(res.meanSquares.t!, '0.0047961705');
    expectPrinted(res.meanSquares.r, '0.0038362000');
    expectPrinted(res.meanSquares.tr!, '0.0005510306');
    expectPrinted(res.pairwise![0].t, '-2.110999');
  });

  it('DeLong covariance (the default): F test, difference, components, single-test row', () => {
    const res = mrmcOrHillis(records);
    expect(res.design.cov).toBe('delong');
    const d = res.difference!;
    expectPrinted(d.f, '4.484854');
    expectPrinted(d.df, '15.06611');
    expectPrinted(d.pValue, '0.05123303');
    expectPrinted(d.se, '0.0206825');
    expectPrinted(d.ci[0], '-0.0878671960');
    expectPrinted(d.ci[1], '0.0002665519');
    const vc = res.varianceComponents;
    expectPrinted(vc.cov1!, '0.0003420090');
    expectPrinted(vc.cov2, '0.0003395265');
    expectPrinted(vc.cov3!, '0.0002358497');
    expectPrinted(vc.error, '0.0007921325');
    const t1 = res.tests[0];
    expectPrinted(t1.se, '0.03307642');
    expectPrinted(t1.df, '12.59597');
    expectPrinted(t1.ci[0], '0.82534608');
    expectPrinted(t1.ci[1], '0.96872800');
  });

  it('single-test analysis of one treatment alone equals its row in the two-treatment analysis', () => {
    for (const cov of ['delong', 'jackknife', 'unbiased'] as const) {
      const both = mrmcOrHillis(records, { cov });
      for (const [i, test] of ['1', '2'].entries()) {
        const alone = mrmcOrHillis(records.filter((r) => r.test === test), { cov });
        expect(alone.tests).toHaveLength(1);
        expect(alone.difference).toBeUndefined();
        expect(alone.tests[0]).toEqual(both.tests[i]);
      }
    }
  });

  it('treatment AUCs are far above 0.5: pValueVsNull is tiny', () => {
    const res = mrmcOrHillis(records);
    for (const t of res.tests) expect(t.pValueVsNull).toBeLessThan(1e-6);
  });
});
