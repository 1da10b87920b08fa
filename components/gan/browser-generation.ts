'use client';
import { generatorInput, latentFor, toGrey8 } from '@/lib/gan/latents';
import { loadGeneratorModel, modelFormatOf, runGenerator, type GeneratorModel } from '@/lib/gan/model-format';

/**
 * Works on a browser generation job in this tab (lib/gan/browser-job.ts is the server side): picks the
 * fastest TensorFlow.js backend the browser has (WebGPU, else WebGL, else CPU), then asks the server for a
 * latent range, generates it with the checkpoint's stored model, sends the 8-bit pixels as one chunk, and
 * repeats until the job is finished. The server checks a sample of every chunk; a refused chunk fails the job.
 */
export type BrowserWorkStatus = { state: 'starting' | 'working' | 'waiting' | 'finished' | 'failed'; backend?: string; images: number; message?: string; imagesPerSecond?: number };
type Range = { kind: 'range'; leaseToken: string; start: number; end: number; items: Array<{ index: number; labels: string[] }>; seed: number; truncation: number | null; checkpoint: { id: string; resolution: number; latentDim: number; labels: string[]; outputRange: [number, number] } };
type Lease = Range | { kind: 'wait'; retryMs: number; message: string } | { kind: 'finished'; status: string; error: string | null };

const BATCH = 16;

async function post<T>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ?? `Request failed (${response.status}).`);
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

export async function workOnJob(jobId: string, onStatus: (status: BrowserWorkStatus) => void, shouldStop: () => boolean): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const backend = await pickBackend(tf);
  await tf.ready();
  let images = 0;
  let generateMs = 0;
  let model: GeneratorModel | null = null;
  onStatus({ state: 'starting', backend, images });
  try {
    while (!shouldStop()) {
      const lease = await post<Lease>(`/api/admin/generation-jobs/${jobId}/lease`);
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
      if (!model) {
        const url = `/api/admin/checkpoints/${checkpoint.id}/files/model.json`;
        model = await loadGeneratorModel(tf, modelFormatOf(await (await fetch(url, { cache: 'no-store' })).json()), url);
      }
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
      const outcome = await post<{ jobStatus: string }>(`/api/admin/generation-jobs/${jobId}/chunks`, { leaseToken: lease.leaseToken, backend, images: chunk });
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
