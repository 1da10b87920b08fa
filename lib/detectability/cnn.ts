import { useBackend, type GanBackendSetting } from '@/lib/gan/backend';
import { uniformFromSeed } from '@/lib/studies/rng';

/**
 * A small convolutional classifier in TensorFlow.js (Node, wasm or cpu backend; no Python), the
 * learner of the classifier two-sample test and of train-on-synthetic/test-on-real.
 *
 * Architecture: three convolutions whose kernel equals their stride (4×4/4 → 16 channels, 2×2/2 → 32,
 * 2×2/2 → 64), each with ReLU, then global average pooling and one logistic output. A convolution
 * with kernel = stride is exactly "cut into patches, multiply every patch by one weight matrix", so
 * it runs as reshape + matrix product: tfjs's wasm backend has no 2-D convolution gradient
 * (Conv2DBackpropFilter), but its matrix product (XNNPACK) is fast. Input side must be a multiple of
 * 16 (the job resamples to 64 or 32).
 *
 * Training: Adam, binary cross-entropy, mini-batches in a seeded order, weights initialised from a
 * seed (He normal), inputs standardised by the training set's mean and SD. Deterministic for one
 * backend, seed and input.
 */
export interface CnnOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  backend?: GanBackendSetting;
  /** Called after every mini-batch with the fraction of this fit's steps done. */
  onStep?: (fraction: number) => Promise<void> | void;
  signal?: AbortSignal;
}

export const CNN_DEFAULTS = { epochs: 10, batchSize: 32, learningRate: 0.01, seed: 1 } as const;
const CHANNELS = [16, 32, 64];
const PATCHES = [4, 2, 2];

/** The project's seeded generator (lib/studies/rng.ts), for batch order and folds. */
export const seededRandom = uniformFromSeed;

/**
 * Cuts side×side images into 4×4 patches: [n, side/4, side/4, 16], the first layer's input (done
 * once, in plain JavaScript, because the input needs no gradient).
 */
function firstPatches(images: readonly Float32Array[], side: number, mean: number, sd: number): Float32Array {
  const p = PATCHES[0];
  const cells = side / p;
  const out = new Float32Array(images.length * side * side);
  let o = 0;
  for (const image of images) {
    for (let cy = 0; cy < cells; cy++) {
      for (let cx = 0; cx < cells; cx++) {
        for (let dy = 0; dy < p; dy++) {
          const row = (cy * p + dy) * side + cx * p;
          for (let dx = 0; dx < p; dx++) out[o++] = (image[row + dx] - mean) / sd;
        }
      }
    }
  }
  return out;
}

export interface TrainedCnn {
  /** Probability of class 1 for each image. */
  predict(images: readonly Float32Array[]): Promise<Float32Array>;
  dispose(): void;
}

/** Fits the network to images (side×side, values 0..1) with 0/1 labels. */
export async function trainCnn(images: readonly Float32Array[], labels: readonly (0 | 1)[], side: number, opts: CnnOptions = {}): Promise<TrainedCnn> {
  if (side % 16 !== 0) throw new Error(`image side ${side} is not a multiple of 16`);
  if (images.length !== labels.length || images.length === 0) throw new Error('images and labels must be non-empty and of one length');
  const tf = await useBackend(opts.backend ?? 'auto');
  const epochs = opts.epochs ?? CNN_DEFAULTS.epochs;
  const batchSize = opts.batchSize ?? CNN_DEFAULTS.batchSize;
  const seed = opts.seed ?? CNN_DEFAULTS.seed;

  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (const image of images) {
    for (let i = 0; i < image.length; i++) {
      sum += image[i];
      sumSquares += image[i] * image[i];
    }
    count += image.length;
  }
  const mean = sum / count;
  const sd = Math.sqrt(Math.max(1e-12, sumSquares / count - mean * mean));

  const cells = side / PATCHES[0];
  const inputs = [PATCHES[0] * PATCHES[0], ...CHANNELS.slice(0, -1).map((c, k) => c * PATCHES[k + 1] * PATCHES[k + 1])];
  const weights = CHANNELS.map((c, k) => tf.variable(tf.randomNormal([inputs[k], c], 0, Math.sqrt(2 / inputs[k]), 'float32', seed + k)));
  const biases = CHANNELS.map((c) => tf.variable(tf.zeros([c])));
  const outWeight = tf.variable(tf.randomNormal([CHANNELS[CHANNELS.length - 1], 1], 0, 0.01, 'float32', seed + 10));
  const outBias = tf.variable(tf.zeros([1]));
  const variables = [...weights, ...biases, outWeight, outBias];

  const logits = (x: ReturnType<typeof tf.tensor4d>) =>
    tf.tidy(() => {
      let h = x as ReturnType<typeof tf.tensor4d>;
      for (let k = 0; k < CHANNELS.length; k++) {
        if (k > 0) {
          const [b, H, W, C] = h.shape;
          const p = PATCHES[k];
          h = h.reshape([b, H / p, p, W / p, p, C]).transpose([0, 1, 3, 2, 4, 5]).reshape([b, H / p, W / p, p * p * C]);
        }
        const [b, H, W, D] = h.shape;
        h = tf.relu(tf.add(tf.matMul(h.reshape([b * H * W, D]), weights[k]), biases[k])).reshape([b, H, W, CHANNELS[k]]);
      }
      return tf.add(tf.matMul(tf.mean(h, [1, 2]) as ReturnType<typeof tf.tensor2d>, outWeight), outBias);
    });

  const patches = firstPatches(images, side, mean, sd);
  const perImage = side * side;
  const optimizer = tf.train.adam(opts.learningRate ?? CNN_DEFAULTS.learningRate);
  const random = seededRandom(seed);
  const order = images.map((_, i) => i);
  const stepsPerEpoch = Math.ceil(images.length / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let start = 0; start < order.length; start += batchSize) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
        const batch = order.slice(start, start + batchSize);
        const xs = new Float32Array(batch.length * perImage);
        batch.forEach((index, b) => xs.set(patches.subarray(index * perImage, (index + 1) * perImage), b * perImage));
        const x = tf.tensor4d(xs, [batch.length, cells, cells, PATCHES[0] * PATCHES[0]]);
        const y = tf.tensor2d(batch.map((index) => labels[index]), [batch.length, 1]);
        const loss = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(y, logits(x)) as ReturnType<typeof tf.scalar>, false, variables);
        loss?.dispose();
        x.dispose();
        y.dispose();
        step++;
        await opts.onStep?.(step / totalSteps);
      }
    }
  } finally {
    optimizer.dispose();
  }

  return {
    async predict(test) {
      const out = new Float32Array(test.length);
      const testPatches = firstPatches(test, side, mean, sd);
      for (let start = 0; start < test.length; start += 256) {
        const n = Math.min(256, test.length - start);
        const x = tf.tensor4d(testPatches.subarray(start * perImage, (start + n) * perImage), [n, cells, cells, PATCHES[0] * PATCHES[0]]);
        const p = tf.tidy(() => tf.sigmoid(logits(x)));
        out.set(await p.data(), start);
        x.dispose();
        p.dispose();
      }
      return out;
    },
    dispose() {
      variables.forEach((v) => v.dispose());
    },
  };
}
