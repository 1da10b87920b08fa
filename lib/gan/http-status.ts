import type { CheckpointErrorCode } from './errors';

/** HTTP status for a refused checkpoint or request (routes show the message as is). */
export function checkpointErrorStatus(code: CheckpointErrorCode): number {
  if (code === 'TOO_LARGE') return 413;
  if (code === 'BACKEND') return 503;
  if (code === 'BAD_REQUEST') return 400;
  return 422;
}
