import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from '@/lib/studies';
import { computeDashboard } from './compute';
import { ladderSummary } from './ladder-summary';
import type { StudyData } from './types';

/**
 * Two readers, one case pair per rung: i0 (real) and i1 (synthetic) at 64 px, i2 (real) and i3
 * (synthetic) at 128 px. Worked by hand: at 64 px reader 1 ranks the pair right (AUC 1) and reader 2
 * wrong (AUC 0), so the reader-averaged AUC is 0.5 and the accuracy 2/4; at 128 px both are right.
 */
function study(): StudyData {
  // [reader, image, callSynthetic, confidence]
  const rows: Array<[number, number, 0 | 1, number]> = [
    [0, 0, 0, 3],
    [0, 1, 1, 2],
    [0, 2, 0, 5],
    [0, 3, 1, 5],
    [1, 0, 1, 1],
    [1, 1, 0, 4],
    [1, 2, 0, 2],
    [1, 3, 1, 3],
  ];
  const n = rows.length;
  return {
    study: { id: 's', name: 'Ladder', description: '', status: 'OPEN', config: parseStudyConfig({ imagesPerReader: 2, ladder: { sizes: [64, 128] } }), configHash: null, openedAt: null, closedAt: null },
    readers: [0, 1].map((k) => ({ id: `u${k}`, name: `R${k}`, email: `r${k}@x`, pseudonym: `R0${k + 1}`, assignmentId: `a${k}`, assigned: 4, completedAt: null, lastActivity: null })),
    images: {
      count: 4,
      ids: ['i0', 'i1', 'i2', 'i3'],
      truthSynthetic: Uint8Array.of(0, 1, 0, 1),
      isPractice: new Uint8Array(4),
      modality: new Int32Array(4),
      modalities: ['CXR'],
      labelSet: Int32Array.of(-1, -1, -1, -1),
      labelSets: [],
      resolution: Float64Array.of(64, 64, 128, 128),
      checkpoint: Int32Array.of(-1, -1, -1, -1),
      checkpoints: [],
    },
    answers: {
      count: n,
      reader: Int32Array.from(rows.map((r) => r[0])),
      image: Int32Array.from(rows.map((r) => r[1])),
      callSynthetic: Uint8Array.from(rows.map((r) => r[2])),
      confidence: Float64Array.from(rows.map((r) => r[3])),
      isPractice: new Uint8Array(n),
      isRepeat: new Uint8Array(n),
      hasCall: new Uint8Array(n).fill(1),
      serial: Float64Array.from(rows, (_, j) => j + 1),
      clientMs: new Float64Array(n).fill(NaN),
      serverMs: new Float64Array(n).fill(NaN),
    },
  };
}

describe('ladderSummary', () => {
  it('gives accuracy and reader-averaged AUC per rung, and the trend test over rungs', () => {
    const data = study();
    const stats = computeDashboard(data, (g) => `C${g}`);
    const ladder = ladderSummary(data, stats.summary, [64, 128]);
    expect(ladder.rungs).toEqual([
      { size: 64, n: 4, accuracy: 0.5, ci: stats.summary!.byResolution[0].ci, readerAveragedAuc: 0.5, readersWithAuc: 2 },
      { size: 128, n: 4, accuracy: 1, ci: stats.summary!.byResolution[1].ci, readerAveragedAuc: 1, readersWithAuc: 2 },
    ]);
    expect(ladder.trend).toEqual({ z: stats.summary!.resolutionTrend!.z, pValue: stats.summary!.resolutionTrend!.pValue });
    expect(ladder.trend!.z).toBeGreaterThan(0);
  });

  it('shows a rung nobody has answered yet as empty', () => {
    const ladder = ladderSummary(study(), null, [32, 64]);
    expect(ladder.rungs[0]).toEqual({ size: 32, n: 0, accuracy: null, ci: null, readerAveragedAuc: null, readersWithAuc: 0 });
    expect(ladder.rungs[1].readerAveragedAuc).toBe(0.5);
    expect(ladder.trend).toBeNull();
  });
});
