/**
 * The thread that computes a dashboard's MRMC analyses (parallel-mrmc.ts): a study's answers in, mrmcOfStudy's
 * result out. Compiled by tsx, which parallel-mrmc.ts registers in the thread.
 */
import { parentPort } from 'node:worker_threads';
import { mrmcOfStudy, type DashboardStats, type MrmcInput } from './compute';

export type MrmcRequest = { id: number; data: MrmcInput };
export type MrmcReply = { id: number; mrmc: DashboardStats['mrmc'] } | { id: number; error: string };

const port = parentPort!;
port.postMessage({ ready: true });
port.on('message', ({ id, data }: MrmcRequest) => {
  try {
    port.postMessage({ id, mrmc: mrmcOfStudy(data) } satisfies MrmcReply);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies MrmcReply);
  }
});
