import type * as tfTypes from '@tensorflow/tfjs';

/**
 * The upsample-conv generator family (`scripts/gan/train.py --arch upsample-conv`; the shipped demo generators are
 * pgan-lite graph models instead), built in tfjs with the layer names scripts/gan/ganlib.py exports, so a
 * PyTorch-trained checkpoint and one built here have the same topology (architecture.test.ts compares them).
 * Used for benchmarks and test checkpoints; a trained checkpoint arrives as model.json instead.
 *
 *   Dense(4·4·C0) → Reshape(4, 4, C0) → BN → LeakyReLU(0.2)
 *   n × [UpSampling2D(2, nearest) → Conv2D(C_k, 3×3, same, no bias) → BN → LeakyReLU(0.2)]
 *   Conv2D(1, 3×3, same) → tanh                                    (4 · 2^n = resolution)
 */
export type GeneratorSpec = { resolution: number; latentDim: number; labels: readonly string[]; baseChannels: number; minChannels: number };

export function stagesFor(resolution: number): number {
  const n = Math.round(Math.log2(resolution / 4));
  if (n < 1 || 4 * 2 ** n !== resolution) throw new RangeError(`resolution must be 4·2^n (8, 16, 32, 64, 128, …), not ${resolution}`);
  return n;
}

export function channelsFor(spec: Pick<GeneratorSpec, 'resolution' | 'baseChannels' | 'minChannels'>): number[] {
  return Array.from({ length: stagesFor(spec.resolution) + 1 }, (_, k) => Math.max(spec.baseChannels >> k, spec.minChannels));
}

/** Multiply-adds × 2 of one image (convolutions and dense), as ganlib.generator_flops. */
export function generatorFlops(spec: GeneratorSpec): number {
  const ch = channelsFor(spec);
  let flops = 2 * (spec.latentDim + spec.labels.length) * 16 * ch[0];
  let size = 4;
  for (let k = 1; k < ch.length; k++) {
    size *= 2;
    flops += 2 * size * size * 9 * ch[k - 1] * ch[k];
  }
  return flops + 2 * size * size * 9 * ch[ch.length - 1];
}

export function buildGenerator(tf: typeof tfTypes, spec: GeneratorSpec, seed = 1): tfTypes.Sequential {
  const ch = channelsFor(spec);
  const init = (k: number) => tf.initializers.heNormal({ seed: seed * 1000 + k });
  const model = tf.sequential({ name: 'generator' });
  model.add(tf.layers.dense({ name: 'dense', inputShape: [spec.latentDim + spec.labels.length], units: 16 * ch[0], kernelInitializer: init(0) }));
  model.add(tf.layers.reshape({ name: 'reshape', targetShape: [4, 4, ch[0]] }));
  model.add(tf.layers.batchNormalization({ name: 'bn0', epsilon: 1e-5, momentum: 0.9 }));
  model.add(tf.layers.leakyReLU({ name: 'act0', alpha: 0.2 }));
  for (let k = 1; k < ch.length; k++) {
    model.add(tf.layers.upSampling2d({ name: `up${k}`, size: [2, 2] }));
    model.add(tf.layers.conv2d({ name: `conv${k}`, filters: ch[k], kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(k) }));
    model.add(tf.layers.batchNormalization({ name: `bn${k}`, epsilon: 1e-5, momentum: 0.9 }));
    model.add(tf.layers.leakyReLU({ name: `act${k}`, alpha: 0.2 }));
  }
  model.add(tf.layers.conv2d({ name: 'to_img', filters: 1, kernelSize: 3, padding: 'same', useBias: true, kernelInitializer: init(99) }));
  model.add(tf.layers.activation({ name: 'tanh', activation: 'tanh' }));
  return model;
}
