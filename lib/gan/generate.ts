import { encode as encodePng } from 'fast-png';
import type { Tensor } from '@tensorflow/tfjs';
import { useBackend } from './backend';
import type { LoadedCheckpoint } from './checkpoint';
import { CheckpointError } from './errors';
import { generatorInput, latentFor, toGrey8 } from './latents';

/**
 * Images from a loaded checkpoint. Image `index` under `seed` always gets the same latent (latents.ts), and
 * the backends compute each image of a batch independently, so the same checkpoint, seed, index, labels
 * and truncation give the same pixels on the same backend, whatever the batch it ran in.
 */
export type GenerationItem = { index: number; labels: readonly string[] };
export type GenerationOptions = { seed: number; truncation?: number; batchSize?: number };

export const DEFAULT_BATCH_SIZE = 16;

/** 8-bit grey pixels (row-major, resolution²) for each item, in order. */
export async function generateGrey(checkpoint: LoadedCheckpoint, items: readonly GenerationItem[], options: GenerationOptions): Promise<Uint8Array[]> {
  const { manifest } = checkpoint;
  const tf = await useBackend(checkpoint.backend);
  const width = manifest.latentDim + manifest.labels.length;
  const pixelsPerImage = manifest.resolution * manifest.resolution;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const out: Uint8Array[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize);
    const inputs = new Float32Array(batch.length * width);
    batch.forEach((item, i) => inputs.set(generatorInput(latentFor(options.seed, item.index, manifest.latentDim, options.truncation), manifest.labels, item.labels), i * width));
    const input = tf.tensor2d(inputs, [batch.length, width]);
    let output: Tensor;
    try {
      output = checkpoint.forward(input);
    } finally {
      input.dispose();
    }
    let values: Float32Array;
    try {
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    for (let i = 0; i < batch.length; i++) {
      const grey = toGrey8(values, i * pixelsPerImage, pixelsPerImage, manifest.outputRange);
      if (!grey) throw new CheckpointError('BAD_OUTPUT', `the generator produced NaN or infinite values (image ${batch[i].index}); the weights are broken`);
      out.push(grey);
    }
  }
  return out;
}

/** A greyscale 8-bit PNG of one generated image (the pipeline then re-encodes it in the pool's canonical form). */
export function greyToPng(pixels: Uint8Array, side: number): Uint8Array {
  return encodePng({ width: side, height: side, data: pixels, channels: 1, depth: 8 });
}

/** The check every checkpoint passes before it is registered: one image of the declared shape, finite, not blank. */
export async function validateGenerator(checkpoint: LoadedCheckpoint): Promise<{ mean: number; min: number; max: number; ms: number }> {
  const started = Date.now();
  const [pixels] = await generateGrey(checkpoint, [{ index: 0, labels: [] }], { seed: 0 });
  let min = 255;
  let max = 0;
  let sum = 0;
  for (const v of pixels) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  if (min === max) throw new CheckpointError('BAD_OUTPUT', `the generator's test image is blank (every pixel ${min}); the weights or outputRange are wrong`);
  return { mean: sum / pixels.length, min, max, ms: Date.now() - started };
}
