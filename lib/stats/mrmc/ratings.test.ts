import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mrmcOrHillisRatings, type MrmcRatings } from './mrmc-or-hillis';
import { compareDeep } from '@/tests/support/mrmc';
import type { CovMethod, MrmcOptions } from './types';

/* The ratings-matrix entry point against the same independent numpy/scipy fixtures as mrmcOrHillis. */

interface Fixture {
  name: string;
  analyses: Array<{ options: MrmcOptions & { cov: CovMethod }; expected: Record<string, unknown> }>;
  records: Array<[string, string, string, 0 | 1, number]>;
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Fixture);

/** Ids in first-seen order (not natural order), so the entry point has to sort them itself. */
function toRatings(fx: Fixture): MrmcRatings {
  const readers = [...new Set(fx.records.map((r) => r[0]))].reverse();
  const tests = [...new Set(fx.records.map((r) => r[1]))].reverse();
  const cases = [...new Set(fx.records.map((r) => r[2]))];
  const truth = new Uint8Array(cases.length);
  const ratings = Array.from({ length: readers.length * tests.length }, () => new Float64Array(cases.length).fill(NaN));
  for (const [reader, test, kase, t, rating] of fx.records) {
    const c = cases.indexOf(kase);
    truth[c] = t;
    ratings[tests.indexOf(test) * readers.length + readers.indexOf(reader)][c] = rating;
  }
  return { readers, tests, truth, ratings };
}

describe('mrmcOrHillisRatings against the python reference fixtures', () => {
  for (const fx of fixtures) {
    for (const analysis of fx.analyses) {
      it(`${fx.name} ${JSON.stringify(analysis.options)}`, () => {
        const actual = mrmcOrHillisRatings(toRatings(fx), analysis.options);
        expect(compareDeep(actual, analysis.expected, 1e-9, 1e-15).mismatches).toEqual([]);
      });
    }
  }

  it('refuses a matrix that is not fully crossed or too small', () => {
    const input = toRatings(fixtures[0]);
    input.ratings[0][0] = NaN;
    expect(() => mrmcOrHillisRatings(input)).toThrow(/not a finite number/);
    expect(() => mrmcOrHillisRatings({ readers: ['a'], tests: ['t'], truth: Uint8Array.of(0, 0, 1, 1), ratings: [new Float64Array(4)] })).toThrow(/at least 2 readers/);
    expect(() => mrmcOrHillisRatings({ readers: ['a', 'b'], tests: ['t'], truth: Uint8Array.of(0, 1, 1), ratings: [new Float64Array(3), new Float64Array(3)] })).toThrow(/at least 2 cases of each truth class/);
  });
});
