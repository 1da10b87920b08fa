import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildGenerator, type GeneratorSpec } from './architecture';
import { useBackend } from './backend';
import { compileGenerator } from './compile';

/** The compiled plan must compute what model.predict computes, on every backend, for any Sequential model. */
async function maxDifference(tf: typeof tfTypes, model: tfTypes.LayersModel, width: number, batch = 5): Promise<{ diff: number; fused: number; range: number }> {
  const input = tf.randomNormal([batch, width], 0, 1, 'float32', 17) as tfTypes.Tensor2D;
  const plan = compileGenerator(tf, model);
  const expected = (model.predict(input) as tfTypes.Tensor).dataSync();
  const actual = plan.forward(input);
  const got = actual.dataSync();
  expect(actual.shape).toEqual((model.outputs[0].shape as number[]).map((d, i) => (i === 0 ? batch : d)));
  let diff = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < got.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - expected[i]));
    min = Math.min(min, expected[i]);
    max = Math.max(max, expected[i]);
  }
  actual.dispose();
  input.dispose();
  plan.dispose();
  return { diff, fused: plan.fused, range: max - min };
}

/** Batch-norm statistics that are not the identity, so that folding them is really tested. */
function randomiseBatchNorm(tf: typeof tfTypes, model: tfTypes.LayersModel) {
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const shape = layer.getWeights()[0].shape;
    layer.setWeights([tf.randomUniform(shape, 0.5, 1.5, 'float32', 1), tf.randomNormal(shape, 0, 0.3, 'float32', 2), tf.randomNormal(shape, 0, 0.3, 'float32', 3), tf.randomUniform(shape, 0.2, 2, 'float32', 4)]);
  }
}

describe('compileGenerator', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches predict for the shipped architecture at 16², 64² and 128² (${backend})`, async () => {
      const tf = await useBackend(backend);
      for (const resolution of [16, 64, 128]) {
        const spec: GeneratorSpec = { resolution, latentDim: 12, labels: ['a', 'b'], baseChannels: 32, minChannels: 4 };
        const model = buildGenerator(tf, spec, resolution);
        randomiseBatchNorm(tf, model);
        const { diff, fused, range } = await maxDifference(tf, model, 14);
        expect(fused).toBe(Math.log2(resolution / 4) + 1); // every conv+BN+LeakyReLU stage and the output conv
        expect(range).toBeGreaterThan(0.1);
        expect(diff).toBeLessThan(1e-4);
        model.dispose();
      }
    });
  }

  it('leaves layers it does not rewrite to the layers themselves (transposed conv, bilinear upsampling, conv with its own activation)', async () => {
    const tf = await useBackend('wasm');
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [6], units: 4 * 4 * 8, activation: 'relu' }));
    model.add(tf.layers.reshape({ targetShape: [4, 4, 8] }));
    model.add(tf.layers.conv2dTranspose({ filters: 6, kernelSize: 4, strides: 2, padding: 'same' }));
    model.add(tf.layers.batchNormalization({ epsilon: 1e-3 }));
    model.add(tf.layers.leakyReLU({ alpha: 0.1 }));
    model.add(tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }));
    model.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.conv2d({ filters: 1, kernelSize: 5, padding: 'valid', activation: 'tanh' }));
    randomiseBatchNorm(tf, model);
    const { diff, fused } = await maxDifference(tf, model, 6);
    expect(fused).toBe(1); // the relu Conv2D (its BN not folded); the tanh one runs as itself
    expect(diff).toBeLessThan(1e-4);
    model.dispose();
  });
});
