import { Worker } from 'node:worker_threads';

/**
 * A worker thread running one of the project's TypeScript modules, given by its path segments from the project
 * root (found from the working directory at run time, so nothing needs to bundle it). tsx compiles the module
 * and the project's @/ paths inside the thread, as it does for `npm run worker`. The thread starts unref'd: an
 * idle thread never keeps a finishing process alive (ref it while it computes for someone who waits).
 * Used by the GAN generator threads (lib/gan/threads.ts) and the dashboard's MRMC thread (lib/dashboard/parallel-mrmc.ts).
 */
export function startTsThread(modulePath: readonly string[], workerData?: unknown): Worker {
  const segments = modulePath.map((s) => JSON.stringify(s)).join(', ');
  const bootstrap = `require('tsx/cjs/api').register(); require(require('node:path').join(process.cwd(), ${segments}));`;
  const worker = new Worker(bootstrap, { eval: true, workerData });
  worker.unref();
  return worker;
}
