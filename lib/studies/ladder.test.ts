import { describe, expect, it } from 'vitest';
import { parseStudyConfig, protocolHash } from '.';
import { caseGroups, ladderProblems, latinSquareRungs, type LadderCase } from './ladder';

const cases: LadderCase[] = [
  ...Array.from({ length: 12 }, () => ({ origin: 'REAL' as const })),
  ...Array.from({ length: 6 }, () => ({ origin: 'SYNTHETIC' as const })),
];

describe('latinSquareRungs', () => {
  it('3 rungs, 6 readers: each reader sees each case once, every case appears at every rung (twice), the ratio is kept per rung', () => {
    const rungs = latinSquareRungs(cases, 3, 6);
    expect(rungs).toHaveLength(6);
    for (const reader of rungs) {
      expect(reader).toHaveLength(cases.length);
      for (let rung = 0; rung < 3; rung++) {
        const here = cases.filter((_, c) => reader[c] === rung);
        expect(here.filter((c) => c.origin === 'REAL')).toHaveLength(4);
        expect(here.filter((c) => c.origin === 'SYNTHETIC')).toHaveLength(2);
      }
    }
    for (let c = 0; c < cases.length; c++) {
      const seen = rungs.map((reader) => reader[c]).sort();
      expect(seen).toEqual([0, 0, 1, 1, 2, 2]);
    }
  });

  it('keeps group sizes within one when the classes do not divide evenly', () => {
    const odd: LadderCase[] = [{ origin: 'REAL' }, { origin: 'REAL' }, { origin: 'SYNTHETIC' }, { origin: 'SYNTHETIC' }, { origin: 'SYNTHETIC' }];
    const groups = caseGroups(odd, 2);
    expect(groups).toEqual([0, 1, 0, 1, 0]);
  });

  it('refuses ladders that cannot put every case at every rung', () => {
    const plan = { sizes: [64, 128, 256] };
    expect(ladderProblems(plan, [256], 6, true)).toEqual([]);
    expect(ladderProblems(plan, [128], 6, true)[0]).toMatch(/256 px exceed the pool size/);
    expect(ladderProblems(plan, [256], 2, true)[0]).toMatch(/at least 3 readers/);
    expect(ladderProblems(plan, [256], 4, true)[0]).toMatch(/multiple of 3/);
    expect(ladderProblems(plan, [256], 6, false)[0]).toMatch(/same images/);
  });

  it('the ladder is part of the configuration and the protocol hash', () => {
    const images = [{ id: 'a', sha256: 'a'.repeat(64) }];
    expect(protocolHash({ imagesPerReader: 2, ladder: { sizes: [64, 128] } }, images)).not.toBe(protocolHash({ imagesPerReader: 2 }, images));
    expect(() => parseStudyConfig({ imagesPerReader: 2, ladder: { sizes: [128, 64] } })).toThrow(/ladder.sizes: must increase/);
    expect(() => parseStudyConfig({ imagesPerReader: 2, ladder: { sizes: [8, 64] } })).toThrow(/at least 16/);
  });
});
