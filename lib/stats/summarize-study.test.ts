import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/study.json';
import { rocAuc } from './roc-auc';
import { summarizeStudy, type StudyResponse, type SummarizeStudyOptions } from './summarize-study';
import { syntheticScore } from './synthetic-score';
import { deepMismatches } from '@/tests/support/stats';

const responses = fixture.responses as StudyResponse[];

describe('summarizeStudy against the Python re-implementation (fixtures/study_reference.py)', () => {
  for (const name of ['withMargin', 'defaults', 'strict'] as const) {
    it(`matches the reference summary (${name})`, () => {
      const { opts, summary } = fixture[name];
      expect(deepMismatches(summarizeStudy(responses, opts as SummarizeStudyOptions), summary)).toEqual([]);
    });
  }

  it('exercises every branch of the dataset: practice, repeats, partial readers, missing strata and confidence', () => {
    const s = summarizeStudy(responses, { margin: 0.1 });
    expect(s.counts.practiceExcluded).toBeGreaterThan(0);
    expect(s.counts.repeatsExcluded).toBeGreaterThan(0);
    expect(s.fleiss!.images).toBeLessThan(s.counts.images);
    expect(s.readers.some((r) => r.auc === null)).toBe(true);
    expect(s.readers.some((r) => r.auc !== null)).toBe(true);
    expect(s.byLabel.map((l) => l.label)).toContain('mass');
    expect(s.byModality.reduce((a, m) => a + m.n, 0)).toBeLessThan(s.pooled.n);
    expect(s.readers.reduce((a, r) => a + r.n, 0)).toBe(s.pooled.n);
    expect(s.readers.every((r) => r.pValueHolm >= r.pValue)).toBe(true);
  });
});

const recordWith = (confidence: fc.Arbitrary<number>, images = 16) =>
  fc.record({
    reader: fc.integer({ min: 0, max: 3 }),
    image: fc.integer({ min: 0, max: images - 1 }),
    truth: fc.constantFrom<'REAL' | 'SYNTHETIC'>('REAL', 'SYNTHETIC'),
    call: fc.constantFrom<'REAL' | 'SYNTHETIC'>('REAL', 'SYNTHETIC'),
    confidence: fc.option(confidence, { nil: undefined }),
    resolution: fc.constantFrom(256, 512, 1024),
  });
const record = recordWith(fc.integer({ min: 0, max: 5 }));

describe('summarizeStudy properties', () => {
  // A rating scale (few distinct scores, tallied per score) and continuous confidences (more distinct
  // scores than the tally holds, so the scores are sorted instead).
  it.each([
    ['a rating scale', record, 1, 120, 80],
    ['continuous confidences', recordWith(fc.double({ min: 0, max: 100, noNaN: true }), 64), 150, 300, 40],
  ])('pooled and per-reader AUCs equal rocAuc on the same first answers (%s)', (_, arbitrary, minLength, maxLength, numRuns) => {
    fc.assert(
      fc.property(fc.array(arbitrary, { minLength, maxLength }), (rows) => {
        const data: StudyResponse[] = rows.map((r) => ({
          readerId: `r${r.reader}`,
          imageId: `i${r.image}`,
          truth: r.truth,
          call: r.call,
          confidence: r.confidence,
          resolution: r.resolution,
        }));
        const s = summarizeStudy(data);
        const seen = new Set<string>();
        const first = data.filter((d) => {
          const key = `${d.readerId}/${d.imageId}`;
          return seen.has(key) ? false : (seen.add(key), true);
        });
        const check = (subset: StudyResponse[], got: (typeof s)['pooled']['auc']) => {
          const rated = subset.filter((d) => d.confidence != null);
          const truth = rated.map((d) => (d.truth === 'SYNTHETIC' ? 1 : 0) as 0 | 1);
          if (!truth.includes(0) || !truth.includes(1)) return expect(got).toBeNull();
          const want = rocAuc(rated.map((d) => syntheticScore(d.call, d.confidence!)), truth);
          expect(got!.auc).toBeCloseTo(want.auc, 12);
          if (Number.isNaN(want.se)) expect(got!.se).toBeNaN();
          else expect(got!.se).toBeCloseTo(want.se, 12);
        };
        check(first, s.pooled.auc);
        for (const r of s.readers) check(first.filter((d) => d.readerId === r.readerId), r.auc);
        expect(s.counts.analysed).toBe(first.length);
      }),
      { numRuns },
    );
  });

  it('does not depend on the order of the answers when there are no repeats', () => {
    const first = new Map<string, StudyResponse>();
    for (const r of responses) if (!first.has(`${r.readerId}/${r.imageId}`)) first.set(`${r.readerId}/${r.imageId}`, r);
    const rows = [...first.values()];
    const shuffled = [...rows].reverse();
    expect(summarizeStudy(shuffled, { margin: 0.1 })).toEqual(summarizeStudy(rows, { margin: 0.1 }));
  });

  it('leaves AUC, Fleiss and trend out when the data cannot support them', () => {
    const s = summarizeStudy([
      { readerId: 'a', imageId: 'x', truth: 'REAL', call: 'REAL' },
      { readerId: 'a', imageId: 'y', truth: 'SYNTHETIC', call: 'REAL', resolution: 512 },
    ]);
    expect(s.pooled.auc).toBeNull();
    expect(s.fleiss).toBeNull();
    expect(s.resolutionTrend).toBeNull();
    expect(s.pooled.tost).toBeNull();
    expect(s.byModality).toEqual([]);
    expect(s.repeatAgreement).toBeNull();
    expect(s.pooled.sensitivity).toMatchObject({ k: 0, n: 1 });
  });

  it('rejects malformed answers and settings with the offending field named', () => {
    const ok: StudyResponse = { readerId: 'a', imageId: 'x', truth: 'REAL', call: 'REAL' };
    expect(() => summarizeStudy([])).toThrow(/no scored answers/);
    expect(() => summarizeStudy([{ ...ok, phase: 'PRACTICE' }])).toThrow(/no scored answers/);
    expect(() => summarizeStudy([{ ...ok, truth: 'FAKE' as 'REAL' }])).toThrow(/responses\[0\]\.truth/);
    expect(() => summarizeStudy([ok, { ...ok, call: undefined as unknown as 'REAL' }])).toThrow(/responses\[1\]\.call/);
    expect(() => summarizeStudy([{ ...ok, confidence: -1 }])).toThrow(RangeError);
    expect(() => summarizeStudy([{ ...ok, resolution: 0 }])).toThrow(/resolution/);
    expect(() => summarizeStudy([{ ...ok, readerId: 7 as unknown as string }])).toThrow(TypeError);
    expect(() => summarizeStudy([null as unknown as StudyResponse])).toThrow(/responses\[0\] must be/);
    expect(() => summarizeStudy([ok], { margin: 0.6 })).toThrow(/margin/);
    expect(() => summarizeStudy([ok], { alpha: 1 })).toThrow(/alpha/);
    expect(() => summarizeStudy({} as StudyResponse[])).toThrow(TypeError);
  });
});
