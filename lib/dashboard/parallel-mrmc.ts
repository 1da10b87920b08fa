import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsThread, ThreadCalls } from '@/lib/ts-thread';
import { mrmcOfStudy, type DashboardStats, type MrmcInput } from './compute';
import type { MrmcReply, MrmcRequest } from './mrmc-thread';
import type { StudyData } from './types';

/**
 * The dashboard's MRMC analyses (five OR–Hillis analyses of a readers × images matrix: about half of the
 * statistics' time on a million answers) in a second thread, while the request's own thread computes the rest
 * (store.ts). The thread runs the same function on the same numbers (mrmcOfStudy; structured clone carries
 * doubles exactly), so the result is the same as computing it here, which is what happens on a single core,
 * while the thread starts (tsx compiles it: about a second, once per process) and if it fails.
 */
type Thread = { worker: Worker; calls: ThreadCalls<DashboardStats['mrmc']> };

let thread: Thread | null = null;
let starting = false;

function startThread(): void {
  starting = true;
  // Unref'd while idle; ref'd again while it computes.
  const worker = startTsThread(['lib', 'dashboard', 'mrmc-thread.ts']);
  const started: Thread = { worker, calls: new ThreadCalls(worker, { refWhileBusy: true }) };
  const stop = (error: Error) => {
    if (thread === started) thread = null;
    starting = false;
    started.calls.failAll(error);
  };
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`the MRMC thread stopped (exit code ${code})`)));
  worker.on('message', (message: { ready: true } | MrmcReply) => {
    if ('ready' in message) {
      thread = started;
      starting = false;
      return;
    }
    started.calls.settle(message.id, 'error' in message ? { error: new Error(message.error) } : { value: message.mrmc });
  });
}

/** Whether the MRMC thread is running (started and ready). */
export function mrmcThreadIsRunning(): boolean {
  return thread !== null;
}

/** Only the columns the analyses read are copied to the thread. */
function inputOf(data: StudyData): MrmcInput {
  const { answers, images, readers, study } = data;
  return {
    answers: {
      count: answers.count,
      reader: answers.reader,
      image: answers.image,
      callSynthetic: answers.callSynthetic,
      confidence: answers.confidence,
      isPractice: answers.isPractice,
      isRepeat: answers.isRepeat,
    },
    images: {
      count: images.count,
      truthSynthetic: images.truthSynthetic,
      modality: images.modality,
      modalities: images.modalities,
      checkpoint: images.checkpoint,
      checkpoints: images.checkpoints,
    },
    readers: readers.map((r) => ({ pseudonym: r.pseudonym })),
    study: { config: { alpha: study.config.alpha, sameImagesForAllReaders: study.config.sameImagesForAllReaders } },
  };
}

/**
 * mrmcOfStudy(data), in the MRMC thread when it is running (started on the first call where there is a second
 * core), else here, after the caller's own work: the returned promise settles in a later task either way.
 */
export function mrmcBeside(data: StudyData): Promise<DashboardStats['mrmc']> {
  if (!thread && !starting && os.availableParallelism() > 1) startThread();
  const running = thread;
  if (!running) {
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(mrmcOfStudy(data));
        } catch (error) {
          reject(error);
        }
      }),
    );
  }
  return running.calls.call((id) => ({ id, data: inputOf(data) }) satisfies MrmcRequest).catch(() => mrmcOfStudy(data));
}
