/**
 * What a resolution-ladder study's dashboard leads with: per rung, the pooled accuracy (from the
 * study summary's by-resolution groups) and the reader-averaged ROC AUC (each reader's empirical AUC
 * of the synthetic score over their first scored answers at that rung, averaged over the readers who
 * saw both classes there), and the Cochran–Armitage trend test of accuracy over the rungs. Pure.
 */
import { rocAuc, type StudySummary } from '@/lib/stats';
import { scoreOf, scoredOrder } from './first-answers';
import type { StudyData } from './types';

// Local copy: an imported binding can compile to a getter call on every use in the hot loop.
const scoreOfAnswer = scoreOf;

export interface LadderRungSummary {
  size: number;
  n: number;
  accuracy: number | null;
  ci: [number, number] | null;
  /** Mean of the readers' AUCs at this rung; null when no reader has both classes rated. */
  readerAveragedAuc: number | null;
  readersWithAuc: number;
}

export interface LadderSummary {
  rungs: LadderRungSummary[];
  /** Cochran–Armitage trend of accuracy over the rungs (two-sided p), null with fewer than two rungs answered. */
  trend: { z: number; pValue: number } | null;
}

export function ladderSummary(data: StudyData, summary: StudySummary | null, sizes: number[]): LadderSummary {
  const { answers, images, readers } = data;
  const R = readers.length;
  const { order, firstCount } = scoredOrder(answers);
  // Cell (rung k, reader r) at k·R + r; an image's rung found once per image, not per answer.
  const rungOf = new Map(sizes.map((size, k) => [size, k]));
  const imageRung = Int32Array.from(images.resolution, (size) => rungOf.get(size) ?? -1);
  const cellOf = new Int32Array(firstCount).fill(-1);
  const scores = new Float64Array(firstCount);
  const cellSize = new Int32Array(sizes.length * R);
  for (let i = 0; i < firstCount; i++) {
    const j = order[i];
    const score = scoreOfAnswer(answers, j);
    const rung = imageRung[answers.image[j]];
    if (rung < 0 || !Number.isFinite(score)) continue;
    scores[i] = score;
    cellSize[(cellOf[i] = rung * R + answers.reader[j])]++;
  }
  const cellScores = Array.from(cellSize, (n) => new Array<number>(n));
  const cellTruth = Array.from(cellSize, (n) => new Array<0 | 1>(n));
  const filled = new Int32Array(cellSize.length);
  for (let i = 0; i < firstCount; i++) {
    const c = cellOf[i];
    if (c < 0) continue;
    cellScores[c][filled[c]] = scores[i];
    cellTruth[c][filled[c]++] = images.truthSynthetic[answers.image[order[i]]] ? 1 : 0;
  }
  const rungs = sizes.map((size, k): LadderRungSummary => {
    const group = summary?.byResolution.find((g) => g.resolution === size);
    const aucs: number[] = [];
    // Readers in the order their first answer at this rung comes (as the sums were always taken).
    for (const r of readersInAnswerOrder(k)) {
      const c = k * R + r;
      if (cellTruth[c].includes(0) && cellTruth[c].includes(1)) aucs.push(rocAuc(cellScores[c], cellTruth[c]).auc);
    }
    return {
      size,
      n: group?.n ?? 0,
      accuracy: group ? group.accuracy : null,
      ci: group ? group.ci : null,
      readerAveragedAuc: aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null,
      readersWithAuc: aucs.length,
    };
  });
  const trend = summary?.resolutionTrend ? { z: summary.resolutionTrend.z, pValue: summary.resolutionTrend.pValue } : null;
  return { rungs, trend };

  function readersInAnswerOrder(rung: number): number[] {
    const seen = new Uint8Array(R);
    const out: number[] = [];
    for (let i = 0; i < firstCount; i++) {
      const c = cellOf[i];
      if (c < rung * R || c >= (rung + 1) * R || seen[c - rung * R]) continue;
      seen[c - rung * R] = 1;
      out.push(c - rung * R);
      if (out.length === R) break;
    }
    return out;
  }
}
