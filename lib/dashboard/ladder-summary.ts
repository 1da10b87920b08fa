/**
 * What a resolution-ladder study's dashboard leads with: per rung, the pooled accuracy (from the
 * study summary's by-resolution groups) and the reader-averaged ROC AUC (each reader's empirical AUC
 * of the synthetic score over their first scored answers at that rung, averaged over the readers who
 * saw both classes there), and the Cochran–Armitage trend test of accuracy over the rungs. Pure.
 */
import { rocAuc, type StudySummary } from '@/lib/stats';
import { scoreOf, scoredOrder } from './first-answers';
import type { StudyData } from './types';

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
  const { answers, images } = data;
  const { order, firstCount } = scoredOrder(answers);
  // rung size → reader → (scores, truths)
  const cells = new Map<number, Map<number, { scores: number[]; truth: Array<0 | 1> }>>();
  for (let i = 0; i < firstCount; i++) {
    const j = order[i];
    const score = scoreOf(answers, j);
    if (!Number.isFinite(score)) continue;
    const image = answers.image[j];
    const size = images.resolution[image];
    const byReader = cells.get(size) ?? new Map();
    cells.set(size, byReader);
    const cell = byReader.get(answers.reader[j]) ?? { scores: [], truth: [] };
    byReader.set(answers.reader[j], cell);
    cell.scores.push(score);
    cell.truth.push(images.truthSynthetic[image] ? 1 : 0);
  }
  const rungs = sizes.map((size): LadderRungSummary => {
    const group = summary?.byResolution.find((g) => g.resolution === size);
    const aucs: number[] = [];
    for (const cell of cells.get(size)?.values() ?? []) {
      if (cell.truth.includes(0) && cell.truth.includes(1)) aucs.push(rocAuc(cell.scores, cell.truth).auc);
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
}
