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

/**
 * Requests to a thread and their replies, matched by id: `call` posts a message carrying a new id and returns a
 * promise that the reply with that id settles (`settle`); `failAll` rejects every request still waiting (the
 * thread failed or stopped). With `refWhileBusy` the thread is ref'd while a request waits and unref'd when none
 * does, so a caller who awaits a reply keeps the process alive and an idle thread does not.
 * Used by the GAN generator threads and the dashboard's MRMC thread.
 */
export class ThreadCalls<T> {
  private readonly pending = new Map<number, { resolve(value: T): void; reject(error: Error): void }>();
  private nextId = 1;

  constructor(
    private readonly worker: Worker,
    private readonly options: { refWhileBusy?: boolean } = {},
  ) {}

  /** Posts message(id) and waits for the reply with that id. */
  call(message: (id: number) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.options.refWhileBusy) this.worker.ref();
      this.worker.postMessage(message(id));
    });
  }

  /** Settles the request with this id (a reply to none, or to one already failed, is ignored). */
  settle(id: number, outcome: { value: T } | { error: Error }): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (this.options.refWhileBusy && this.pending.size === 0) this.worker.unref();
    if ('error' in outcome) waiting.reject(outcome.error);
    else waiting.resolve(outcome.value);
  }

  failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
