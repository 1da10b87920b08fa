import { describe, expect, it } from 'vitest';
import { CHECK_TOLERANCE, pixelDelta, sampleIndices } from './browser-chunks';
import { jobRanges } from './browser-job';

/** The pure parts of browser jobs: ranges, the size and spread of the checked sample, the pixel comparison. */
describe('browser job rules', () => {
  it('cuts a job into consecutive ranges that cover every index once', () => {
    expect(jobRanges(70, 32)).toEqual([{ start: 0, end: 32 }, { start: 32, end: 64 }, { start: 64, end: 70 }]);
    expect(jobRanges(1, 32)).toEqual([{ start: 0, end: 1 }]);
  });

  it('samples at least 2 images and at least the fraction, distinct, within the chunk', () => {
    expect(sampleIndices(32, 0.02)).toHaveLength(2);
    expect(sampleIndices(1000, 0.02)).toHaveLength(20);
    expect(sampleIndices(1, 0.02)).toEqual([0]);
    expect(sampleIndices(8, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const sample = sampleIndices(500, 0.05);
    expect(new Set(sample).size).toBe(25);
    expect(sample.every((i) => i >= 0 && i < 500)).toBe(true);
  });

  it('samples every image of a chunk about equally often', () => {
    const hits = new Array(10).fill(0);
    for (let r = 0; r < 5000; r++) for (const i of sampleIndices(10, 0.02)) hits[i]++;
    // 5000 draws × 2 of 10 → 1000 expected per index; 6 standard deviations ≈ 170.
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(170);
  });

  it('measures max and mean absolute grey-level differences', () => {
    const a = Uint8Array.from([10, 20, 30, 40]);
    expect(pixelDelta(a, Uint8Array.from([10, 22, 29, 40]))).toEqual({ maxAbs: 2, meanAbs: 0.75 });
    expect(pixelDelta(a, a)).toEqual({ maxAbs: 0, meanAbs: 0 });
    expect(CHECK_TOLERANCE).toEqual({ maxAbs: 2, meanAbs: 0.5 });
  });
});
