import { describe, expect, it } from 'vitest';
import fixture from '@/lib/stats/fixtures/group-sequential.json';
import { parseStudyConfig, protocolHash } from '@/lib/studies';
import { interimCounts, interimReport, interimText, REPEATED_LOOKS_WARNING } from './interim';

const planned = parseStudyConfig({ imagesPerReader: 100, interimLooks: { at: [0.5, 0.75] } });

describe('interimReport', () => {
  it('without planned looks warns that repeated looks inflate the false-positive rate', () => {
    const r = interimReport({ config: parseStudyConfig({ imagesPerReader: 100 }), plannedAnswers: 200, answered: 50, correctAt: [], decisions: [] });
    expect(r.isPlanned).toBe(false);
    expect(r.warning).toBe(REPEATED_LOOKS_WARNING);
    expect(r.looks).toEqual([]);
  });

  it("puts the looks at ⌈f·N⌉ answers with the rpact boundaries of that design (O'Brien–Fleming type by default)", () => {
    const r = interimReport({ config: planned, plannedAnswers: 200, answered: 120, correctAt: [75, null, null], decisions: [] });
    expect(r.looks.map((l) => l.size)).toEqual([100, 150, 200]);
    const two = fixture.designs.find((d) => d.sided === 2 && d.alpha === 0.05 && d.family === 'obrien-fleming' && d.informationRates.join() === '0.5,0.75,1')!;
    const one = fixture.designs.find((d) => d.sided === 1 && d.alpha === 0.05 && d.family === 'obrien-fleming' && d.informationRates.join() === '0.5,0.75,1')!;
    r.looks.forEach((l, k) => {
      expect(Math.abs(l.boundaries.discrimination - two.criticalValues[k])).toBeLessThan(1e-6);
      expect(Math.abs(l.boundaries.equivalence - one.criticalValues[k])).toBeLessThan(1e-6);
    });
    expect(r.looks[0].isReached).toBe(true);
    expect(r.looks[1].result).toBeNull();
    // 75 of 100 correct: Z = 5 ≥ 2.96, so the report suggests closing until a decision is recorded.
    expect(r.looks[0].result!.discrimination.z).toBeCloseTo(5, 12);
    expect(r.looks[0].result!.discrimination.crossed).toBe(true);
    expect(r.suggestion).toMatch(/Look 1 crossed its boundary: readers tell real from synthetic/);
    const decided = interimReport({
      config: planned,
      plannedAnswers: 200,
      answered: 120,
      correctAt: [75, null, null],
      decisions: [{ look: 1, decision: 'continue', note: 'wait for the CT readers', decidedAt: '2026-12-07T12:00:00.000Z', actor: null }],
    });
    expect(decided.suggestion).toBeNull();
    expect(interimText(decided)).toMatch(/decision: continue .*wait for the CT readers/);
  });

  it('does not suggest closing while the statistic stays inside the boundary', () => {
    const r = interimReport({ config: planned, plannedAnswers: 200, answered: 100, correctAt: [60, null, null], decisions: [] });
    expect(r.looks[0].result!.discrimination.crossed).toBe(false);
    expect(r.suggestion).toBeNull();
  });

  it('the plan is part of the protocol hash', () => {
    const images = [{ id: 'a', sha256: 'a'.repeat(64) }];
    const without = protocolHash({ imagesPerReader: 2 }, images);
    const obf = protocolHash({ imagesPerReader: 2, interimLooks: { at: [0.5] } }, images);
    const pocock = protocolHash({ imagesPerReader: 2, interimLooks: { at: [0.5], spending: 'pocock' } }, images);
    expect(new Set([without, obf, pocock]).size).toBe(3);
    expect(protocolHash({ imagesPerReader: 2, interimLooks: { at: [0.5], spending: 'obrien-fleming' } }, images)).toBe(obf);
  });

  it('refuses looks that are not increasing fractions in (0, 1)', () => {
    expect(() => parseStudyConfig({ imagesPerReader: 2, interimLooks: { at: [0.75, 0.5] } })).toThrow(/interimLooks.at: must increase/);
    expect(() => parseStudyConfig({ imagesPerReader: 2, interimLooks: { at: [1] } })).toThrow(/less than 1/);
    expect(() => parseStudyConfig({ imagesPerReader: 2, interimLooks: { at: [0.5], spending: 'linear' } })).toThrow(/obrien-fleming/);
  });
});

describe('interimCounts', () => {
  it('counts correct first scored answers with a call in response-id order, whatever the column order', () => {
    // Images 0 real, 1 synthetic. Columns deliberately out of id order; practice, repeat and no-call answers skipped.
    const rows: Array<{ serial: number; image: number; call: 0 | 1; practice?: 1; repeat?: 1; noCall?: 1 }> = [
      { serial: 50, image: 1, call: 0 }, // wrong
      { serial: 10, image: 0, call: 0 }, // correct
      { serial: 30, image: 1, call: 1 }, // correct
      { serial: 20, image: 0, call: 1, practice: 1 },
      { serial: 25, image: 0, call: 0, repeat: 1 },
      { serial: 27, image: 0, call: 0, noCall: 1 },
      { serial: 40, image: 0, call: 1 }, // wrong
      { serial: 2 ** 52 - 1, image: 1, call: 1 }, // correct, largest id
    ];
    const n = rows.length;
    const answers = {
      count: n,
      reader: new Int32Array(n),
      image: Int32Array.from(rows, (r) => r.image),
      callSynthetic: Uint8Array.from(rows, (r) => r.call),
      confidence: new Float64Array(n).fill(NaN),
      isPractice: Uint8Array.from(rows, (r) => r.practice ?? 0),
      isRepeat: Uint8Array.from(rows, (r) => r.repeat ?? 0),
      hasCall: Uint8Array.from(rows, (r) => (r.noCall ? 0 : 1)),
      serial: Float64Array.from(rows, (r) => r.serial),
      clientMs: new Float64Array(n),
      serverMs: new Float64Array(n),
    };
    const images = { truthSynthetic: Uint8Array.of(0, 1) } as never;
    // In id order: 10 ✓, 30 ✓, 40 ✗, 50 ✗, 2^52−1 ✓.
    expect(interimCounts({ answers, images }, [2, 4, 5, 6])).toEqual({ answered: 5, correctAt: [2, 2, 3, null] });
    expect(interimCounts({ answers, images }, [5, 1])).toEqual({ answered: 5, correctAt: [3, 1] });
    // No look short of the answers in (no sort needed): all of them, and one not reached.
    expect(interimCounts({ answers, images }, [6, 5])).toEqual({ answered: 5, correctAt: [null, 3] });
  });
});
