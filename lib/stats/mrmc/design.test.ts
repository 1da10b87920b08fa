import { describe, expect, it } from 'vitest';
import { buildDesign } from './design';
import { mrmcOrHillis } from './mrmc-or-hillis';
import type { MrmcRecord } from './types';

function grid(readers: string[], tests: string[], cases: Array<[string, 0 | 1]>): MrmcRecord[] {
  const out: MrmcRecord[] = [];
  let v = 0;
  for (const test of tests) {
    for (const reader of readers) {
      for (const [kase, truth] of cases) out.push({ reader, test, case: kase, truth, rating: (v++ * 7) % 5 });
    }
  }
  return out;
}

const CASES: Array<[string, 0 | 1]> = [
  ['a', 0],
  ['b', 0],
  ['c', 1],
  ['d', 1],
  ['e', 1],
];

describe('design validation', () => {
  it('arranges a crossed design with natural id order and aligned cases', () => {
    const records = grid(['r10', 'r2'], ['2', '10'], CASES).reverse();
    const d = buildDesign(records);
    expect(d.readers).toEqual(['r2', 'r10']);
    expect(d.tests).toEqual(['2', '10']);
    expect(d.cases1).toEqual(['c', 'd', 'e']);
    expect(d.cases0).toEqual(['a', 'b']);
    const find = (reader: string, test: string, kase: string) =>
      records.find((r) => r.reader === reader && r.test === test && r.case === kase)!.rating;
    // cell k = test·R + reader: test "10" (index 1), reader "r2" (index 0) → k = 2
    expect(Array.from(d.pos[2])).toEqual(['c', 'd', 'e'].map((c) => find('r2', '10', c)));
    expect(Array.from(d.neg[2])).toEqual(['a', 'b'].map((c) => find('r2', '10', c)));
  });

  it('names the missing reader×test×case cell', () => {
    const records = grid(['1', '2'], ['A', 'B'], CASES).filter((r) => !(r.reader === '2' && r.test === 'B' && r.case === 'd'));
    expect(() => mrmcOrHillis(records)).toThrow(/missing rating for reader "2", test "B", case "d".*fully crossed/);
  });

  it('rejects a duplicated cell', () => {
    const records = grid(['1', '2'], ['A'], CASES);
    records.push({ ...records[3] });
    expect(() => mrmcOrHillis(records)).toThrow(/duplicate record for reader "1", test "A", case "d"/);
  });

  it('rejects a case whose truth differs between records', () => {
    const records = grid(['1', '2'], ['A'], CASES);
    records[records.length - 1] = { ...records[records.length - 1], truth: 0 };
    expect(() => mrmcOrHillis(records)).toThrow(/case "e" has inconsistent truth/);
  });

  it('rejects a single truth class, and fewer than 2 cases of a class', () => {
    const allSynthetic = grid(['1', '2'], ['A'], [
      ['a', 1],
      ['b', 1],
    ]);
    expect(() => mrmcOrHillis(allSynthetic)).toThrow(/only one truth class present/);
    const oneReal = grid(['1', '2'], ['A'], [
      ['a', 0],
      ['b', 1],
      ['c', 1],
    ]);
    expect(() => mrmcOrHillis(oneReal)).toThrow(/at least 2 cases of each truth class/);
  });

  it('rejects fewer than 2 readers', () => {
    expect(() => mrmcOrHillis(grid(['solo'], ['A', 'B'], CASES))).toThrow(/at least 2 readers.*got 1/);
  });

  it('rejects non-finite ratings and malformed fields', () => {
    for (const rating of [NaN, Infinity, -Infinity, '3' as unknown as number]) {
      const records = grid(['1', '2'], ['A'], CASES);
      records[4] = { ...records[4], rating };
      expect(() => mrmcOrHillis(records)).toThrow(/record 4 .*rating must be a finite number/);
    }
    const badTruth = grid(['1', '2'], ['A'], CASES);
    badTruth[0] = { ...badTruth[0], truth: 2 as 0 | 1 };
    expect(() => mrmcOrHillis(badTruth)).toThrow(/truth must be 0 or 1/);
    const badId = grid(['1', '2'], ['A'], CASES);
    badId[1] = { ...badId[1], reader: 7 as unknown as string };
    expect(() => mrmcOrHillis(badId)).toThrow(/record 1: reader must be a non-empty string/);
    expect(() => mrmcOrHillis([])).toThrow(/non-empty array/);
    expect(() => mrmcOrHillis([null as unknown as MrmcRecord])).toThrow(/record 0 is not an object/);
  });
});
