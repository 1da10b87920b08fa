import { syntheticScore } from '@/lib/stats';
import type { StudyAnswers } from './types';

// Local copy: an imported binding can compile to a getter call, once per answer here.
const score = syntheticScore;

/**
 * Indexes of the answers every analysis uses: scored (not practice), each reader's first answer on
 * each image (repeats are second showings, flagged on their item), in a stable order: first
 * showings before repeats, so "first in column order" is the first showing.
 */
export function scoredOrder(answers: Pick<StudyAnswers, 'count' | 'isPractice' | 'isRepeat'>): { order: Int32Array; firstCount: number } {
  const order = new Int32Array(answers.count);
  let k = 0;
  for (let j = 0; j < answers.count; j++) if (!answers.isPractice[j] && !answers.isRepeat[j]) order[k++] = j;
  const firstCount = k;
  for (let j = 0; j < answers.count; j++) if (!answers.isPractice[j] && answers.isRepeat[j]) order[k++] = j;
  return { order: order.subarray(0, k), firstCount };
}

/** Every answer, first showings (and practice) before repeats: the order summarizeStudy expects. */
export function repeatsLast(answers: StudyAnswers): Int32Array {
  const order = new Int32Array(answers.count);
  let k = 0;
  for (let j = 0; j < answers.count; j++) if (!answers.isRepeat[j]) order[k++] = j;
  for (let j = 0; j < answers.count; j++) if (answers.isRepeat[j]) order[k++] = j;
  return order;
}

/** syntheticScore (confidence that the image is synthetic) of answer j; NaN without a confidence. */
export function scoreOf(answers: Pick<StudyAnswers, 'confidence' | 'callSynthetic'>, j: number): number {
  const c = answers.confidence[j];
  return c !== c ? NaN : score(answers.callSynthetic[j] !== 0, c);
}

/** Median of the finite values of `values` at the given indexes; null when there are none. */
export function medianAt(values: Float64Array, indexes: ArrayLike<number>): number | null {
  const picked = new Float64Array(indexes.length);
  let n = 0;
  for (let i = 0; i < indexes.length; i++) {
    const v = values[indexes[i]];
    if (Number.isFinite(v)) picked[n++] = v;
  }
  if (n === 0) return null;
  const a = picked.subarray(0, n);
  const mid = n >> 1;
  const upper = select(a, mid);
  if (n % 2) return upper;
  // The lower middle is the largest value left of the upper one after partitioning.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** k-th smallest (0-based) by quickselect (Hoare partition, middle pivot); reorders `a`. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
