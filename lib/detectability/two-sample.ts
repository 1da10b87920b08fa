import { rocAuc } from '@/lib/stats';
import { trainCnn, seededRandom, CNN_DEFAULTS, type CnnOptions } from './cnn';

/**
 * Classifier two-sample test (Lopez-Paz D., Oquab M., "Revisiting classifier two-sample tests",
 * ICLR 2017): if a classifier trained to tell real from synthetic images does no better than chance
 * on images it never saw, the two samples are indistinguishable to it. Stratified k-fold
 * cross-validation: every image is scored by a network trained on the other folds; the pooled
 * out-of-fold scores give one ROC AUC with its DeLong 95 % CI (lib/stats rocAuc). AUC 0.5 = cannot
 * tell; 1 = always tells.
 */
export interface TwoSampleOptions extends Omit<CnnOptions, 'onStep'> {
  folds?: number;
  /** Group of each image (a patient); a group never spans folds. */
  groups?: readonly string[];
  /** Called with the fraction of all folds' training done and a line for people. */
  onProgress?: (fraction: number, message: string) => Promise<void> | void;
}

export interface TwoSampleResult {
  auc: number;
  ci: { lower: number; upper: number };
  folds: number;
  epochs: number;
  /** Side of the square images the network saw. */
  resolution: number;
  counts: { real: number; synthetic: number };
  /** Out-of-fold probability of "synthetic" per input image, in input order. */
  scores: number[];
}

/**
 * Folds in a seeded order. Without groups: stratified, fold k gets every k-th image of each class.
 * With groups (e.g. a patient): all images of a group go to one fold, groups dealt greedily to the
 * fold that is emptiest for their classes. Grouping matters: with near-identical images (slices of
 * one patient) split across folds, a network recognises them instead of detecting a difference, and
 * under the null the cross-validated AUC falls below 0.5 (held-out images of a group are scored as
 * the class that dominates the rest of that group in training).
 */
export function stratifiedFolds(labels: readonly (0 | 1)[], folds: number, seed: number, groups?: readonly string[]): number[] {
  const random = seededRandom(seed);
  const shuffle = <T>(list: T[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };
  const fold = new Array<number>(labels.length);
  if (!groups) {
    for (const cls of [0, 1] as const) shuffle(labels.flatMap((l, i) => (l === cls ? [i] : []))).forEach((index, k) => (fold[index] = k % folds));
    return fold;
  }
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => members.set(g, [...(members.get(g) ?? []), i]));
  const totals = [0, 0];
  labels.forEach((l) => totals[l]++);
  const filled = Array.from({ length: folds }, () => [0, 0]);
  const ordered = shuffle([...members.values()]).sort((a, b) => b.length - a.length);
  for (const group of ordered) {
    const counts = [0, 0];
    group.forEach((i) => counts[labels[i]]++);
    let best = 0;
    let bestLoad = Infinity;
    for (let k = 0; k < folds; k++) {
      const load = Math.max(...[0, 1].map((c) => (filled[k][c] + counts[c]) / Math.max(1, totals[c])));
      if (load < bestLoad) {
        bestLoad = load;
        best = k;
      }
    }
    filled[best][0] += counts[0];
    filled[best][1] += counts[1];
    group.forEach((i) => (fold[i] = best));
  }
  return fold;
}

/** Cross-validated AUC of the small CNN on real (label 0) and synthetic (label 1) images. */
export async function classifierTwoSampleTest(images: readonly Float32Array[], labels: readonly (0 | 1)[], side: number, opts: TwoSampleOptions = {}): Promise<TwoSampleResult> {
  const synthetic = labels.reduce<number>((s, l) => s + l, 0);
  const real = labels.length - synthetic;
  const folds = Math.min(opts.folds ?? 5, real, synthetic);
  if (folds < 2) throw new Error(`too few images for cross-validation: ${real} real and ${synthetic} synthetic`);
  const seed = opts.seed ?? CNN_DEFAULTS.seed;
  const fold = stratifiedFolds(labels, folds, seed, opts.groups);
  const scores = new Array<number>(labels.length).fill(0.5);
  for (let k = 0; k < folds; k++) {
    const train = fold.flatMap((f, i) => (f === k ? [] : [i]));
    const test = fold.flatMap((f, i) => (f === k ? [i] : []));
    const model = await trainCnn(
      train.map((i) => images[i]),
      train.map((i) => labels[i]),
      side,
      {
        ...opts,
        seed: seed + 101 * k,
        onStep: (fraction) => opts.onProgress?.((k + fraction) / folds, `fold ${k + 1} of ${folds}: training on ${train.length} images`),
      },
    );
    try {
      const predicted = await model.predict(test.map((i) => images[i]));
      test.forEach((i, j) => (scores[i] = predicted[j]));
    } finally {
      model.dispose();
    }
  }
  const roc = rocAuc(scores, [...labels]);
  return {
    auc: roc.auc,
    ci: { lower: roc.ci[0], upper: roc.ci[1] },
    folds,
    epochs: opts.epochs ?? CNN_DEFAULTS.epochs,
    resolution: side,
    counts: { real, synthetic },
    scores,
  };
}
