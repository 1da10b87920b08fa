import { pairedAucDifference, rocAuc, type PairedAucDifference } from '@/lib/stats';
import { CNN_DEFAULTS, seededRandom, trainCnn, type CnnOptions } from './cnn';

/**
 * Train on synthetic, test on real (the seed paper's main measure of a synthetic data set's
 * utility): for each label, the same small CNN (lib/detectability/cnn.ts, same architecture, epochs
 * and number of training images) is trained once on synthetic images and once on real images to
 * tell the label's presence, and both are tested on the same held-out real images. Reported per
 * label: both AUCs and their paired difference (synthetic − real) with a DeLong 95 % CI
 * (lib/stats pairedAucDifference). A difference near 0 means the synthetic images teach as much as
 * real ones.
 */
export interface LabelledImages {
  images: readonly Float32Array[];
  /** Labels of each image (multi-hot as a list of names). */
  labels: readonly (readonly string[])[];
}

export interface LabelUtility {
  label: string;
  /** Training images (each side, after equalising) and held-out real test images, with how many carry the label. */
  counts: { train: number; trainSyntheticPositive: number; trainRealPositive: number; test: number; testPositive: number };
  syntheticAuc: number;
  realAuc: number;
  /** syntheticAuc − realAuc, DeLong paired. */
  difference: PairedAucDifference;
}

export interface UtilityResult {
  resolution: number;
  epochs: number;
  labels: LabelUtility[];
  /** Labels that could not be evaluated, with why. */
  skipped: Array<{ label: string; reason: string }>;
}

export interface UtilityOptions extends Omit<CnnOptions, 'onStep'> {
  onProgress?: (fraction: number, message: string) => Promise<void> | void;
}

/** Splits real images into training and held-out test images, a group (patient) never on both sides. */
export function splitTrainTest(groups: readonly string[], testFraction: number, seed: number): { train: number[]; test: number[] } {
  const random = seededRandom(seed);
  const names = [...new Set(groups)].sort();
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [names[i], names[j]] = [names[j], names[i]];
  }
  const testGroups = new Set<string>();
  let testCount = 0;
  const sizes = new Map<string, number>();
  groups.forEach((g) => sizes.set(g, (sizes.get(g) ?? 0) + 1));
  for (const name of names) {
    if (testCount >= testFraction * groups.length) break;
    testGroups.add(name);
    testCount += sizes.get(name)!;
  }
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, i) => (testGroups.has(g) ? test : train).push(i));
  return { train, test };
}

function subsample(count: number, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, n).sort((a, b) => a - b);
}

export async function trainSyntheticTestReal(
  synthetic: LabelledImages,
  realTrain: LabelledImages,
  realTest: LabelledImages,
  vocabulary: readonly string[],
  side: number,
  opts: UtilityOptions = {},
): Promise<UtilityResult> {
  const seed = opts.seed ?? CNN_DEFAULTS.seed;
  // Same budget: as many training images on each side, drawn the same way.
  const n = Math.min(synthetic.images.length, realTrain.images.length);
  const pickSynthetic = subsample(synthetic.images.length, n, seed);
  const pickReal = subsample(realTrain.images.length, n, seed);
  const labels: LabelUtility[] = [];
  const skipped: UtilityResult['skipped'] = [];
  for (const [k, label] of vocabulary.entries()) {
    const y = (set: LabelledImages, picks: number[]) => picks.map((i) => (set.labels[i].includes(label) ? 1 : 0) as 0 | 1);
    const ySynthetic = y(synthetic, pickSynthetic);
    const yReal = y(realTrain, pickReal);
    const testIndices = realTest.images.map((_, i) => i);
    const yTest = y(realTest, testIndices);
    const positives = (v: (0 | 1)[]) => v.reduce<number>((s, t) => s + t, 0);
    const problems = [
      [ySynthetic, 'synthetic training images'],
      [yReal, 'real training images'],
      [yTest, 'held-out real images'],
    ]
      .filter(([v]) => Math.min(positives(v as (0 | 1)[]), (v as (0 | 1)[]).length - positives(v as (0 | 1)[])) < 2)
      .map(([, what]) => what);
    if (problems.length) {
      skipped.push({ label, reason: `fewer than 2 images with and 2 without the label among the ${problems.join(', ')}` });
      continue;
    }
    const scores: Float32Array[] = [];
    for (const [side_, set, picks, yTrain] of [
      ['synthetic', synthetic, pickSynthetic, ySynthetic],
      ['real', realTrain, pickReal, yReal],
    ] as const) {
      const part = side_ === 'synthetic' ? 0 : 1;
      const model = await trainCnn(
        picks.map((i) => set.images[i]),
        yTrain,
        side,
        {
          ...opts,
          seed,
          onStep: (f) => opts.onProgress?.((2 * k + part + f) / (2 * vocabulary.length), `${label}: training on ${n} ${side_} images`),
        },
      );
      try {
        scores.push(await model.predict(realTest.images));
      } finally {
        model.dispose();
      }
    }
    const difference = pairedAucDifference([...scores[0]], [...scores[1]], yTest);
    labels.push({
      label,
      counts: { train: n, trainSyntheticPositive: positives(ySynthetic), trainRealPositive: positives(yReal), test: yTest.length, testPositive: positives(yTest) },
      syntheticAuc: rocAuc([...scores[0]], yTest).auc,
      realAuc: rocAuc([...scores[1]], yTest).auc,
      difference,
    });
  }
  return { resolution: side, epochs: opts.epochs ?? CNN_DEFAULTS.epochs, labels, skipped };
}
