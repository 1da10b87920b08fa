/**
 * One generator thread of a GeneratorPool (threads.ts): its own TensorFlow.js with its own single-threaded wasm
 * backend, the checkpoint built from the contents it is sent, then items → 8-bit grey pixels on request.
 * Compiled by tsx, which the pool registers in the thread (threads.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { GanBackendSetting } from './backend';
import { buildCheckpointModel } from './checkpoint';
import type { CheckpointContents } from './contents';
import { generateGrey, type GenerationItem, type GenerationOptions } from './generate';

export type ThreadRequest = { id: number; items: GenerationItem[]; options: GenerationOptions };
export type ThreadReply = { id: number; pixels: Uint8Array[] } | { id: number; error: { name: string; message: string; code?: string } };

const { contents, backend } = workerData as { contents: CheckpointContents; backend: GanBackendSetting };
const port = parentPort!;

const ready = buildCheckpointModel(contents, backend);
ready.then(
  () => port.postMessage({ ready: true }),
  (error: Error & { code?: string }) => port.postMessage({ ready: false, error: { name: error.name, message: error.message, code: error.code } }),
);

port.on('message', async (request: ThreadRequest) => {
  try {
    const pixels = await generateGrey(await ready, request.items, request.options);
    port.postMessage({ id: request.id, pixels } satisfies ThreadReply, pixels.map((p) => p.buffer as ArrayBuffer));
  } catch (error) {
    const e = error as Error & { code?: string };
    port.postMessage({ id: request.id, error: { name: e.name, message: e.message, code: e.code } } satisfies ThreadReply);
  }
});
