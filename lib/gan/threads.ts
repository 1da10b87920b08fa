import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { getConfig } from '@/lib/config';
import { startTsThread, ThreadCalls } from '@/lib/ts-thread';
import type { GanBackend } from './backend';
import type { LoadedCheckpoint } from './checkpoint';
import type { CheckpointContents } from './contents';
import { CheckpointError } from './errors';
import { DEFAULT_BATCH_SIZE, generateGrey, type GenerationItem, type GenerationOptions } from './generate';
import type { ThreadReply, ThreadRequest } from './generator-thread';

/**
 * Generation on every core: one node:worker_threads thread per core, each with its own TensorFlow.js and its
 * own single-threaded wasm backend (generator-thread.ts), the checkpoint built once per thread. A request's
 * items are cut into whole batches dealt out to the threads in turn and put back in order.
 *
 * Why threads and not tfjs's multi-threaded wasm build: tfjs-backend-wasm 4.22 switches the threaded build off
 * in Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tfjs issue #3830), and forcing the flag fails:
 * Emscripten starts its pthreads with `new Worker("blob:nodedata:…")`, which Node refuses (ERR_WORKER_PATH).
 *
 * Each image is computed by the same single-threaded kernels whatever the thread and batch (generate.ts), so
 * the pixels are byte-identical to generateGrey in one thread (tested in threads.test.ts).
 */
export type GeneratorPool = { threads: number; backend: GanBackend; generate(items: readonly GenerationItem[], options: GenerationOptions): Promise<Uint8Array[]>; close(): Promise<void> };

/** GAN_THREADS: 0 = one per core. */
export function threadCount(setting: number): number {
  const cores = os.availableParallelism();
  return setting > 0 ? Math.min(setting, cores * 4) : cores;
}

type Thread = { worker: Worker; calls: ThreadCalls<Uint8Array[]> };

function startThread(contents: CheckpointContents, backend: GanBackend): Promise<Thread> {
  // Only what structured clone carries: the files, the manifest and model.json.
  const plain: CheckpointContents = { manifest: contents.manifest, modelJson: contents.modelJson, files: contents.files, sha256: contents.sha256, weightBytes: contents.weightBytes };
  const worker = startTsThread(['lib', 'gan', 'generator-thread.ts'], { contents: plain, backend });
  const thread: Thread = { worker, calls: new ThreadCalls(worker) };
  worker.on('error', (error) => thread.calls.failAll(error));
  worker.on('exit', (code) => thread.calls.failAll(new Error(`a generator thread stopped (exit code ${code})`)));
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (first: { ready: boolean; error?: { message: string; code?: string } }) => {
      if (!first.ready) {
        void worker.terminate();
        return reject(new CheckpointError((first.error?.code as never) ?? 'BACKEND', first.error?.message ?? 'a generator thread could not build the checkpoint'));
      }
      worker.on('message', (reply: ThreadReply) =>
        thread.calls.settle(reply.id, 'error' in reply ? { error: reply.error.code ? new CheckpointError(reply.error.code as never, reply.error.message) : new Error(reply.error.message) } : { value: reply.pixels }),
      );
      resolve(thread);
    });
  });
}

export async function startGeneratorPool(checkpoint: Pick<LoadedCheckpoint, 'manifest' | 'modelJson' | 'files' | 'sha256' | 'weightBytes' | 'backend'>, threads: number): Promise<GeneratorPool> {
  const started = await Promise.allSettled(Array.from({ length: threads }, () => startThread(checkpoint, checkpoint.backend)));
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((t) => t.worker.terminate()));
    throw failed.reason;
  }
  const run = (thread: Thread, items: GenerationItem[], options: GenerationOptions) => thread.calls.call((id) => ({ id, items, options }) satisfies ThreadRequest);
  return {
    threads,
    backend: checkpoint.backend,
    async generate(items, options) {
      const batch = options.batchSize ?? DEFAULT_BATCH_SIZE;
      // Whole batches dealt in turn: thread t gets batches t, t + n, t + 2n… (as even as the batches allow).
      const shares: number[][] = ok.map(() => []);
      for (let b = 0; b * batch < items.length; b++) for (let i = b * batch; i < Math.min(items.length, (b + 1) * batch); i++) shares[b % ok.length].push(i);
      const results = await Promise.all(shares.map((share, t) => (share.length ? run(ok[t], share.map((i) => items[i]), options) : Promise.resolve([]))));
      const out = new Array<Uint8Array>(items.length);
      shares.forEach((share, t) => share.forEach((i, k) => (out[i] = results[t][k])));
      return out;
    },
    async close() {
      await Promise.all(ok.map((t) => t.worker.terminate()));
    },
  };
}

// The worker keeps one pool (the last checkpoint it generated from); another checkpoint replaces it.
let current: { key: string; pool: Promise<GeneratorPool>; ready: GeneratorPool | null } | null = null;

/**
 * Generation for the worker's jobs: on GAN_THREADS threads (one per core by default) when the request has more
 * than one batch, else in this thread. While a new pool starts (each thread loads tfjs and builds the model:
 * seconds), requests are served in this thread, so a job makes progress from the start. Same pixels either way.
 */
export async function generateOnThreads(checkpoint: LoadedCheckpoint & { id: string }, items: readonly GenerationItem[], options: GenerationOptions): Promise<Uint8Array[]> {
  const threads = threadCount(getConfig().GAN_THREADS);
  // A GPU backend is parallel already; its threads would each open the device.
  if (threads < 2 || checkpoint.backend === 'webgpu' || items.length <= (options.batchSize ?? DEFAULT_BATCH_SIZE)) return generateGrey(checkpoint, items, options);
  const key = `${checkpoint.id}:${checkpoint.sha256}:${checkpoint.backend}:${threads}`;
  if (current?.key !== key) {
    const old = current;
    const entry: NonNullable<typeof current> = { key, pool: startGeneratorPool(checkpoint, threads), ready: null };
    current = entry;
    entry.pool.then(
      (pool) => (current === entry ? (entry.ready = pool) : void pool.close()),
      // Threads that cannot start (no tsx, out of memory): this checkpoint is generated in this thread.
      (error: Error) => console.warn(`[gan] generator threads did not start (${error.message}); generating in one thread`),
    );
    void old?.pool.then((p) => p.close()).catch(() => undefined);
  }
  return current.ready ? current.ready.generate(items, options) : generateGrey(checkpoint, items, options);
}

/**
 * Ends the worker's generator threads (its jobs are done: `startWorker`'s stop). Unref'd threads still hold
 * message ports that keep a finishing process alive, and idle threads hold a model each.
 */
export async function closeGeneratorThreads(): Promise<void> {
  const entry = current;
  current = null;
  await entry?.pool.then((pool) => pool.close()).catch(() => undefined);
}
