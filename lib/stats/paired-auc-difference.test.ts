import { describe, expect, it } from 'vitest';
import fixture from './fixtures/paired-auc.json';
import { pairedAucDifference } from './paired-auc-difference';

describe('pairedAucDifference (checked against numpy/scipy: fixtures/paired_auc.py)', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i matches the pairwise-kernel reference', (_, c) => {
    const got = pairedAucDifference(c.scoresA, c.scoresB, c.truth as Array<0 | 1>, c.conf);
    const e = c.expected;
    expect(got.aucA).toBeCloseTo(e.aucA, 12);
    expect(got.aucB).toBeCloseTo(e.aucB, 12);
    expect(got.difference).toBeCloseTo(e.difference, 12);
    expect(got.se).toBeCloseTo(e.se, 12);
    expect(got.ci[0]).toBeCloseTo(e.ci[0], 10);
    expect(got.ci[1]).toBeCloseTo(e.ci[1], 10);
    expect(got.z).toBeCloseTo(e.z, 9);
    expect(got.pValue).toBeCloseTo(e.pValue, 10);
  });

  it('gives difference 0, SE 0 and p = 1 for identical scores, and refuses a class of one', () => {
    const s = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2];
    const truth: Array<0 | 1> = [0, 0, 1, 1, 1, 0];
    expect(pairedAucDifference(s, s, truth)).toMatchObject({ difference: 0, se: 0, ci: [0, 0], pValue: 1 });
    expect(() => pairedAucDifference([1, 2, 3], [1, 2, 3], [1, 0, 0])).toThrow(/at least 2 cases/);
  });
});
