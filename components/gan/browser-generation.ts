'use client';
import { generatorInput, latentFor, toGrey8 } from '@/lib/gan/latents';
import { loadGeneratorModel, modelFormatOf, runGenerator, type GeneratorModel } from '@/lib/gan/model-format';

/**
 * Works on a browser generation job in this tab (lib/gan/browser-job.ts is the server side): picks the
 * fastest TensorFlow.js backend the browser has (WebGPU, else WebGL, else CPU), loads and warms the checkpoint's
 * model, then asks the server for a latent range, generates it with the checkpoint's stored model, sends the 8-bit pixels as one chunk, and
 * repeats until the job is finished. The server checks a sample of every chunk; a refused chunk fails the job.
 */
export type BrowserWorkStatus = { state: 'starting' | 'working' | 'waiting' | 'finished' | 'failed'; backend?: string; images: number; message?: string; imagesPerSecond?: number };
type Checkpoint = { id: string; resolution: number; latentDim: number; labels: string[]; outputRange: [number, number] };
type Range = { kind: 'range'; leaseToken: string; start: number; end: number; items: Array<{ index: number; labels: string[] }>; seed: number; truncation: number | null; checkpoint: Checkpoint };
type Lease = Range | { kind: 'wait'; retryMs: number; message: string } | { kind: 'finished'; status: string; error: string | null };

const BATCH = 16;

class RequestError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

async function call<T>(url: string, method: 'GET' | 'POST', body?: unknown): Promise<T> {
  const response = await fetch(url, { method, cache: 'no-store', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new RequestError(data.error ?? `Request failed (${response.status}).`, response.status);
  return data as T;
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** WebGPU where the browser has it, else WebGL, else the CPU backend. */
async function pickBackend(tf: typeof import('@tensorflow/tfjs')): Promise<string> {
  if (typeof navigator !== 'undefined' && 'gpu' in navigator) {
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
      if (await tf.setBackend('webgpu')) return 'webgpu';
    } catch {
      // no usable adapter: try WebGL
    }
  }
  try {
    if (await tf.setBackend('webgl')) return 'webgl';
  } catch {
    // no WebGL either
  }
  await tf.setBackend('cpu');
  return 'cpu';
}

/** Runs one batch of the generator (latents of zeros) so shaders are compiled before any lease clock runs. */
async function warmUp(tf: typeof import('@tensorflow/tfjs'), model: GeneratorModel, checkpoint: Checkpoint): Promise<void> {
  const width = checkpoint.latentDim + checkpoint.labels.length;
  const output = tf.tidy(() => runGenerator(model, tf.zeros([BATCH, width]) as import('@tensorflow/tfjs').Tensor2D));
  await output.data();
  output.dispose();
}

export async function workOnJob(jobId: string, onStatus: (status: BrowserWorkStatus) => void, shouldStop: () => boolean): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const backend = await pickBackend(tf);
  await tf.ready();
  let images = 0;
  let generateMs = 0;
  let model: GeneratorModel | null = null;
  onStatus({ state: 'starting', backend, images });
  try {
    // Load and warm the model first: a cold GPU (or a software renderer) may take longer than a lease to
    // compile its shaders, and a range whose lease ran out is handed to another browser.
    const { checkpoint: prepared } = await call<{ checkpoint: Checkpoint }>(`/api/admin/generation-jobs/${jobId}/lease`, 'GET');
    const url = `/api/admin/checkpoints/${prepared.id}/files/model.json`;
    model = await loadGeneratorModel(tf, modelFormatOf(await (await fetch(url, { cache: 'no-store' })).json()), url);
    await warmUp(tf, model, prepared);
    while (!shouldStop()) {
      const lease = await call<Lease>(`/api/admin/generation-jobs/${jobId}/lease`, 'POST');
      if (lease.kind === 'finished') {
        onStatus({ state: lease.status === 'SUCCEEDED' ? 'finished' : 'failed', backend, images, message: lease.error ?? `the job is ${lease.status.toLowerCase()}` });
        return;
      }
      if (lease.kind === 'wait') {
        onStatus({ state: 'waiting', backend, images, message: lease.message });
        await new Promise((r) => setTimeout(r, lease.retryMs));
        continue;
      }
      const { checkpoint } = lease;
      const started = performance.now();
      const width = checkpoint.latentDim + checkpoint.labels.length;
      const pixels = checkpoint.resolution * checkpoint.resolution;
      const chunk: Array<{ index: number; pixels: string }> = [];
      for (let at = 0; at < lease.items.length; at += BATCH) {
        const batch = lease.items.slice(at, at + BATCH);
        const inputs = new Float32Array(batch.length * width);
        batch.forEach((item, i) => inputs.set(generatorInput(latentFor(lease.seed, item.index, checkpoint.latentDim, lease.truncation ?? undefined), checkpoint.labels, item.labels), i * width));
        const current = model;
        const output = tf.tidy(() => runGenerator(current, tf.tensor2d(inputs, [batch.length, width])));
        const values = (await output.data()) as Float32Array;
        output.dispose();
        batch.forEach((item, i) => {
          const grey = toGrey8(values, i * pixels, pixels, checkpoint.outputRange);
          if (!grey) throw new Error(`the generator produced NaN or infinite values for image ${item.index} on ${backend}`);
          chunk.push({ index: item.index, pixels: base64(grey) });
        });
      }
      generateMs += performance.now() - started;
      let outcome: { jobStatus: string };
      try {
        outcome = await call<{ jobStatus: string }>(`/api/admin/generation-jobs/${jobId}/chunks`, 'POST', { leaseToken: lease.leaseToken, backend, images: chunk });
      } catch (error) {
        // 409: this range's lease ran out and another browser holds it now; ask for another range.
        if (error instanceof RequestError && error.status === 409) continue;
        throw error;
      }
      images += chunk.length;
      onStatus({ state: 'working', backend, images, imagesPerSecond: images / Math.max(generateMs / 1000, 1e-3) });
      if (outcome.jobStatus !== 'RUNNING') {
        onStatus({ state: outcome.jobStatus === 'SUCCEEDED' ? 'finished' : 'failed', backend, images, imagesPerSecond: images / Math.max(generateMs / 1000, 1e-3) });
        return;
      }
    }
  } catch (error) {
    onStatus({ state: 'failed', backend, images, message: (error as Error).message });
  } finally {
    model?.dispose();
  }
}
