import { describe, expect, it } from 'vitest';
import fixture from './fixtures/study.json';
import { summarizeStudyColumns, type StudyColumns, type StudyResponse, type SummarizeStudyOptions } from './summarize-study';
import { deepMismatches } from '@/tests/support/stats';

const responses = fixture.responses as StudyResponse[];

/** The fixture's answer records turned into columns, the way a database query would deliver them. */
function toColumns(rows: StudyResponse[]): StudyColumns {
  const readerIds = [...new Set(rows.map((r) => r.readerId))].sort().reverse();
  const imageIds = [...new Set(rows.map((r) => r.imageId))].sort();
  const modalities = [...new Set(rows.map((r) => r.modality).filter((m): m is string => !!m))];
  const labelSets = [...new Set(rows.map((r) => r.label).filter((l): l is string => !!l))];
  const images: StudyColumns['images'] = {
    count: imageIds.length,
    truthSynthetic: new Uint8Array(imageIds.length),
    modality: new Int32Array(imageIds.length).fill(-1),
    modalities,
    labelSet: new Int32Array(imageIds.length).fill(-1),
    labelSets,
    resolution: new Float64Array(imageIds.length),
  };
  for (const r of rows) {
    const g = imageIds.indexOf(r.imageId);
    images.truthSynthetic[g] = r.truth === 'SYNTHETIC' ? 1 : 0;
    if (r.modality) images.modality[g] = modalities.indexOf(r.modality);
    if (r.label) images.labelSet[g] = labelSets.indexOf(r.label);
    if (r.resolution != null) images.resolution[g] = r.resolution;
  }
  return {
    readerIds,
    reader: Int32Array.from(rows, (r) => readerIds.indexOf(r.readerId)),
    image: Int32Array.from(rows, (r) => imageIds.indexOf(r.imageId)),
    callSynthetic: Uint8Array.from(rows, (r) => (r.call === 'SYNTHETIC' ? 1 : 0)),
    confidence: Float64Array.from(rows, (r) => (r.confidence == null ? NaN : r.confidence)),
    isPractice: Uint8Array.from(rows, (r) => (r.phase === 'PRACTICE' ? 1 : 0)),
    images,
  };
}

describe('summarizeStudyColumns against the Python re-implementation (fixtures/study_reference.py)', () => {
  it('the fixture keeps each image’s attributes the same on every answer (so columns can hold them once)', () => {
    const seen = new Map<string, string>();
    for (const r of responses) {
      const key = JSON.stringify([r.truth, r.modality ?? null, r.label ?? null, r.resolution ?? null]);
      expect(seen.get(r.imageId) ?? key, r.imageId).toBe(key);
      seen.set(r.imageId, key);
    }
  });

  for (const name of ['withMargin', 'defaults', 'strict'] as const) {
    it(`matches the reference summary (${name})`, () => {
      const { opts, summary } = fixture[name];
      expect(deepMismatches(summarizeStudyColumns(toColumns(responses), opts as SummarizeStudyOptions), summary)).toEqual([]);
    });
  }

  it('refuses columns of different lengths and codes out of range', () => {
    const cols = toColumns(responses);
    expect(() => summarizeStudyColumns({ ...cols, callSynthetic: cols.callSynthetic.subarray(1) })).toThrow(/callSynthetic must have one entry per answer/);
    expect(() => summarizeStudyColumns({ ...cols, image: cols.image.map(() => cols.images.count) })).toThrow(/image\[\d+\] must index images/);
    expect(() => summarizeStudyColumns({ ...cols, confidence: cols.confidence.map(() => -1) })).toThrow(RangeError);
  });
});
