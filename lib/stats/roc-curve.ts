import { assertArray, assertSameLength } from './validate';

/** One operating point: the share of negatives and of positives scored at or above a threshold. */
export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

/**
 * Empirical ROC curve: one point per distinct score, from the strictest threshold down, starting at
 * (0, 0) (threshold +∞) and ending at (1, 1). Tied scores move both rates at once, so the
 * trapezoidal area under these points is the Mann–Whitney AUC with ties ½ (the same as `rocAuc`).
 * In this app truth 1 = synthetic and the score is `syntheticScore` (confidence it is synthetic).
 *
 * Reference: Fawcett T. (2006), An introduction to ROC analysis, Pattern Recognit Lett 27:861–874,
 * Algorithm 1 (efficient ROC points).
 */
export function rocCurve(scores: number[], truth: Array<0 | 1>): RocPoint[] {
  const fn = 'rocCurve';
  assertArray(fn, 'scores', scores);
  assertArray(fn, 'truth', truth);
  assertSameLength(fn, 'scores', scores, 'truth', truth);
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new TypeError(`${fn}: scores[${i}] must be a finite number (got ${String(scores[i])})`);
    if (truth[i] !== 0 && truth[i] !== 1) throw new TypeError(`${fn}: truth[${i}] must be 0 or 1 (got ${String(truth[i])})`);
    positives += truth[i] as number;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new RangeError(`${fn}: both classes are required (got ${positives} positives, ${negatives} negatives)`);
  // Count positives and negatives per distinct score (rating scales have few), then walk the scores down.
  const tally = new Map<number, [number, number]>();
  for (let i = 0; i < n; i++) {
    const t = tally.get(scores[i]);
    if (t) t[truth[i]]++;
    else tally.set(scores[i], truth[i] === 1 ? [0, 1] : [1, 0]);
  }
  const thresholds = Float64Array.from(tally.keys()).sort().reverse();
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (const threshold of thresholds) {
    const [neg, pos] = tally.get(threshold)!;
    tp += pos;
    fp += neg;
    points.push({ threshold, fpr: fp / negatives, tpr: tp / positives });
  }
  return points;
}
