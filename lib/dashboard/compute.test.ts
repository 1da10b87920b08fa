import { describe, expect, it } from 'vitest';
import { mrmcOrHillis } from '@/lib/stats';
import { computeDashboard } from './compute';
import { medianAt } from './first-answers';
import { largestCrossedDesign } from './mrmc-design';
import type { StudyData } from './types';

/**
 * A small study worked by hand: 3 readers, 6 scored images (i0–i2 real, i3–i5 synthetic; i0, i1,
 * i3, i4 CXR, i2, i5 CT) and one practice image (i6, synthetic). Reader R01 reads everything and
 * repeats i3; R02 reads everything; R03 has read only i0 and i3 so far.
 */
function study(): StudyData {
  const rows: Array<[reader: number, image: number, call: 0 | 1, confidence: number, practice?: 1, repeat?: 1]> = [
    [0, 6, 1, 3, 1],
    [0, 0, 0, 4],
    [0, 1, 1, 2],
    [0, 2, 0, 5],
    [0, 3, 1, 4],
    [0, 4, 0, 1],
    [0, 5, 1, 5],
    [0, 3, 0, 2, undefined, 1],
    [1, 6, 0, 3, 1],
    [1, 0, 1, 1],
    [1, 1, 0, 3],
    [1, 2, 0, 2],
    [1, 3, 0, 5],
    [1, 4, 0, 4],
    [1, 5, 1, 2],
    [2, 0, 0, 3],
    [2, 3, 0, 1],
  ];
  const n = rows.length;
  return {
    study: {
      id: 's1',
      name: 'Hand-worked',
      description: '',
      status: 'OPEN',
      config: { imagesPerReader: 6, syntheticFraction: 0.5, practiceItems: 1, repeatedItems: 1, repeatMinGap: 2, maxRunLength: 3, confidenceScale: { min: 1, max: 5 }, allowBack: false, margin: 0.1, alpha: 0.05, sameImagesForAllReaders: true },
      configHash: 'h'.repeat(64),
      openedAt: null,
      closedAt: null,
    },
    readers: [0, 1, 2].map((k) => ({ id: `u${k}`, name: `Reader ${k}`, email: `r${k}@x`, pseudonym: `R0${k + 1}`, assignmentId: `a${k}`, assigned: 8, completedAt: null, lastActivity: null })),
    images: {
      count: 7,
      ids: ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'],
      truthSynthetic: Uint8Array.of(0, 0, 0, 1, 1, 1, 1),
      isPractice: Uint8Array.of(0, 0, 0, 0, 0, 0, 1),
      modality: Int32Array.of(0, 0, 1, 0, 0, 1, 0),
      modalities: ['CXR', 'CT_HEAD'],
      labelSet: Int32Array.of(-1, -1, -1, -1, -1, -1, -1),
      labelSets: [],
      resolution: Float64Array.of(256, 256, 64, 256, 256, 64, 256),
      checkpoint: Int32Array.of(-1, -1, -1, 0, 1, 0, -1),
      checkpoints: ['gan-a', 'gan-b'],
    },
    answers: {
      count: n,
      reader: Int32Array.from(rows, (r) => r[0]),
      image: Int32Array.from(rows, (r) => r[1]),
      callSynthetic: Uint8Array.from(rows, (r) => r[2]),
      confidence: Float64Array.from(rows, (r) => r[3]),
      isPractice: Uint8Array.from(rows, (r) => r[4] ?? 0),
      isRepeat: Uint8Array.from(rows, (r) => r[5] ?? 0),
      hasCall: new Uint8Array(n).fill(1),
      serial: Float64Array.from(rows, (_, j) => j + 1),
      clientMs: Float64Array.from(rows, (_, j) => 1000 + 100 * j),
      serverMs: Float64Array.from(rows, () => NaN),
    },
  };
}

describe('computeDashboard on a hand-worked study', () => {
  const stats = computeDashboard(study(), (g) => `C${g}`, new Date(0));

  it('counts progress over every answer, with medians of the browser times', () => {
    expect(stats.progress.readers.map((r) => [r.pseudonym, r.done, r.assigned])).toEqual([
      ['R01', 8, 8],
      ['R02', 7, 8],
      ['R03', 2, 8],
    ]);
    // R01's times are 1000..1700 (answers 0–7): median (1300 + 1400) / 2.
    expect(stats.progress.readers[0].medianClientMs).toBe(1350);
    expect(stats.progress.readers[2].medianClientMs).toBe((2500 + 2600) / 2);
  });

  it('analyses first scored answers only: practice and the repeat are left out', () => {
    // R01: i0 ✓, i1 ✗, i2 ✓, i3 ✓, i4 ✗, i5 ✓ → 4/6; R02: i0 ✗, i1 ✓, i2 ✓, i3 ✗, i4 ✗, i5 ✓ → 3/6; R03: i0 ✓, i3 ✗ → 1/2.
    expect(stats.summary!.readers.map((r) => [r.readerId, r.correct, r.n])).toEqual([
      ['R01', 4, 6],
      ['R02', 3, 6],
      ['R03', 1, 2],
    ]);
    expect(stats.summary!.pooled.correct).toBe(8);
    expect(stats.summary!.pooled.n).toBe(14);
    expect(stats.summary!.counts.practiceExcluded).toBe(2);
    expect(stats.summary!.counts.repeatsExcluded).toBe(1);
    expect(stats.confusion).toEqual({ syntheticCalledSynthetic: 3, syntheticCalledReal: 4, realCalledSynthetic: 2, realCalledReal: 5 });
  });

  it('gives each synthetic image its fool rate, most convincing first', () => {
    expect(stats.foolRate.map((f) => [f.caseId, f.calledReal, f.readers, f.checkpoint])).toEqual([
      ['C4', 2, 2, 'gan-b'],
      ['C3', 2, 3, 'gan-a'],
      ['C5', 0, 2, 'gan-a'],
    ]);
  });

  it('draws a ROC curve per reader from call × confidence', () => {
    // R01 scores: real −4, +2, −5; synthetic +4, −1, +5.
    expect(stats.roc[0].points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 1 / 3],
      [0, 2 / 3],
      [1 / 3, 2 / 3],
      [1 / 3, 1],
      [2 / 3, 1],
      [1, 1],
    ]);
    // R03: real i0 −3, synthetic i3 −1.
    expect(stats.roc[2].points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
    ]);
  });

  it('runs OR–Hillis on the largest crossed design and matches mrmcOrHillis on the same records', () => {
    const all = stats.mrmc.analyses.find((a) => a.scope === 'all')!;
    // R03 rated only i0 and i3: with it, one case of each truth remains; without it, all six.
    expect(all.readers).toEqual(['R01', 'R02']);
    expect(all.excludedReaders).toEqual(['R03']);
    expect(all.cases).toEqual({ real: 3, synthetic: 3 });
    const scores: Record<string, number[]> = { R01: [-4, 2, -5, 4, -1, 5], R02: [1, -3, -2, -5, -4, 2] };
    const records = Object.entries(scores).flatMap(([reader, s]) => s.map((rating, g) => ({ reader, test: 'all', case: `i${g}`, truth: (g >= 3 ? 1 : 0) as 0 | 1, rating })));
    expect(all.result).toEqual(mrmcOrHillis(records, { cov: 'delong', confLevel: 0.95 }));
    // Each modality has only one real or one synthetic image of CT: no MRMC there, and it says why.
    const ct = stats.mrmc.analyses.find((a) => a.test === 'CT_HEAD')!;
    expect(ct.result).toBeNull();
    expect(ct.note).toMatch(/No two readers/);
  });

  it('says when to prefer which analysis', () => {
    expect(stats.guidance).toMatch(/binomial test and TOST .* MRMC OR–Hillis/);
  });
});

describe('largestCrossedDesign', () => {
  it('keeps the readers and cases that give the most ratings', () => {
    const N = NaN;
    // 3 readers × 6 cases (truth 0,0,0,1,1,1); reader 2 rated only cases 0 and 3.
    const m = Float64Array.from([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, N, N, 4, N, N]);
    const all = Uint8Array.of(1, 1, 1, 1, 1, 1);
    expect(largestCrossedDesign(m, 3, 6, [0, 0, 0, 1, 1, 1], all)).toEqual({ readers: [0, 1], cases: [0, 1, 2, 3, 4, 5], excludedReaders: [2] });
    // Only cases 0, 1, 3, 4 in scope.
    expect(largestCrossedDesign(m, 3, 6, [0, 0, 0, 1, 1, 1], Uint8Array.of(1, 1, 0, 1, 1, 0))?.cases).toEqual([0, 1, 3, 4]);
    expect(largestCrossedDesign(m, 3, 6, [0, 0, 0, 1, 1, 1], Uint8Array.of(1, 0, 0, 1, 0, 0))).toBeNull();
  });
});

describe('medianAt', () => {
  it('takes the median of the finite values at the indexes', () => {
    const v = Float64Array.of(5, NaN, 1, 9, 3, 7);
    expect(medianAt(v, [0, 1, 2, 3])).toBe(5);
    expect(medianAt(v, [0, 2, 3, 4])).toBe(4);
    expect(medianAt(v, [1])).toBeNull();
  });
});
