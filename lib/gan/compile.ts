import type * as tfTypes from '@tensorflow/tfjs';

/**
 * An inference plan for a Sequential generator: the same function as `model.predict`, rewritten for speed
 * with exact algebra (results agree with predict to float rounding, see compile.test.ts):
 *
 *  - Conv2D → BatchNormalization → LeakyReLU/ReLU becomes ONE fused convolution: the batch norm is folded
 *    into the kernel and bias (w' = w·γ/√(σ²+ε), b' = β + (b − μ)·γ/√(σ²+ε)) and the activation is fused.
 *  - Dense (+ activation) becomes a fused matMul.
 * Anything else runs as the layer itself. Models that are not Sequential use `predict` unchanged.
 * (A sub-pixel rewrite of upsample + conv — one conv with 4·C outputs on the small image, then
 * depthToSpace — was measured and dropped: tfjs-wasm's depthToSpace costs more than it saves.)
 */
export type Forward = (input: tfTypes.Tensor2D) => tfTypes.Tensor;
type Step = (x: tfTypes.Tensor) => tfTypes.Tensor;
type Activation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'elu' | 'leakyrelu';
const FUSABLE = new Set(['linear', 'relu', 'relu6', 'sigmoid', 'elu']);

type LayerLike = tfTypes.layers.Layer;
const cls = (layer: LayerLike | undefined) => layer?.getClassName();
const cfg = (layer: LayerLike) => layer.getConfig() as Record<string, unknown>;

export function compileGenerator(tf: typeof tfTypes, model: tfTypes.LayersModel): { forward: Forward; dispose: () => void; fused: number } {
  const fallback = { forward: (x: tfTypes.Tensor2D) => model.predict(x) as tfTypes.Tensor, dispose: () => undefined, fused: 0 };
  if (model.getClassName() !== 'Sequential') return fallback;
  const layers = model.layers.filter((l) => cls(l) !== 'InputLayer' && cls(l) !== 'Dropout');
  const owned: tfTypes.Tensor[] = [];
  const keep = <T extends tfTypes.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const steps: Step[] = [];
  let fused = 0;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const kind = cls(layer);
    if (kind === 'Conv2D' && isPlainConv(layer)) {
      const tail = foldTail(layers, i + 1, layer);
      const { kernel, bias } = convWeights(layer, tail.bn);
      const k = keep(tf.tensor4d(kernel.data, kernel.shape));
      const b = keep(tf.tensor1d(bias));
      const strides = cfg(layer).strides as [number, number];
      const padding = cfg(layer).padding as 'same' | 'valid';
      const act = tail.activation;
      steps.push((x) => tf.fused.conv2d({ x: x as tfTypes.Tensor4D, filter: k, strides, pad: padding, bias: b, activation: act.name, leakyreluAlpha: act.alpha }));
      fused++;
      i += tail.consumed;
    } else if (kind === 'Dense' && FUSABLE.has(String(cfg(layer).activation))) {
      const [kernel, bias] = layer.getWeights();
      const activation = String(cfg(layer).activation) as Activation;
      steps.push((x) => tf.fused.matMul({ a: x as tfTypes.Tensor2D, b: kernel as tfTypes.Tensor2D, bias, activation }));
    } else if (kind === 'Reshape') {
      const target = cfg(layer).targetShape as number[];
      steps.push((x) => tf.reshape(x, [-1, ...target]));
    } else {
      steps.push((x) => layer.apply(x) as tfTypes.Tensor);
    }
  }
  return {
    forward: (input) => tf.tidy(() => steps.reduce<tfTypes.Tensor>((x, step) => step(x), input)),
    dispose: () => owned.forEach((t) => t.dispose()),
    fused,
  };
}

function isPlainConv(layer: LayerLike): boolean {
  const c = cfg(layer);
  return FUSABLE.has(String(c.activation)) && JSON.stringify(c.dilationRate ?? [1, 1]) === '[1,1]' && (c.dataFormat ?? 'channelsLast') === 'channelsLast' && (c.padding === 'same' || c.padding === 'valid');
}

/** After a convolution: an optional inference batch norm (only if the conv is linear), then an optional activation. */
function foldTail(layers: LayerLike[], at: number, conv: LayerLike): { bn: LayerLike | null; activation: { name: Activation; alpha?: number }; consumed: number } {
  let consumed = 0;
  let bn: LayerLike | null = null;
  const convActivation = String(cfg(conv).activation);
  if (convActivation === 'linear' && cls(layers[at]) === 'BatchNormalization' && [-1, 3].includes(Number(cfg(layers[at]).axis))) {
    bn = layers[at];
    consumed++;
  }
  if (convActivation !== 'linear') return { bn, activation: { name: convActivation as Activation }, consumed };
  const next = layers[at + consumed];
  if (cls(next) === 'LeakyReLU') return { bn, activation: { name: 'leakyrelu', alpha: Number(cfg(next!).alpha) }, consumed: consumed + 1 };
  if (cls(next) === 'ReLU' && cfg(next!).maxValue == null && !Number(cfg(next!).negativeSlope ?? 0) && !Number(cfg(next!).threshold ?? 0)) return { bn, activation: { name: 'relu' }, consumed: consumed + 1 };
  if (cls(next) === 'Activation' && FUSABLE.has(String(cfg(next!).activation))) return { bn, activation: { name: String(cfg(next!).activation) as Activation }, consumed: consumed + 1 };
  return { bn, activation: { name: 'linear' }, consumed };
}

/** The convolution's kernel [kh, kw, in, out] and bias with the batch norm folded in (float64 arithmetic). */
function convWeights(conv: LayerLike, bn: LayerLike | null): { kernel: { data: Float32Array; shape: [number, number, number, number] }; bias: Float32Array } {
  const weights = conv.getWeights();
  const shape = weights[0].shape as [number, number, number, number];
  const kernel = Float64Array.from(weights[0].dataSync());
  const out = shape[3];
  const bias = new Float64Array(out);
  if (cfg(conv).useBias && weights[1]) bias.set(weights[1].dataSync());
  if (bn) {
    const c = cfg(bn);
    const w = bn.getWeights();
    let k = 0;
    const gamma = c.scale ? w[k++].dataSync() : new Float32Array(out).fill(1);
    const beta = c.center ? w[k++].dataSync() : new Float32Array(out);
    const mean = w[k++].dataSync();
    const variance = w[k++].dataSync();
    const epsilon = Number(c.epsilon);
    for (let o = 0; o < out; o++) {
      const scale = gamma[o] / Math.sqrt(variance[o] + epsilon);
      for (let j = o; j < kernel.length; j += out) kernel[j] *= scale;
      bias[o] = beta[o] + (bias[o] - mean[o]) * scale;
    }
  }
  return { kernel: { data: Float32Array.from(kernel), shape }, bias: Float32Array.from(bias) };
}
