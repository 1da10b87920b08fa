/**
 * The browser's copy of answers the server has not acknowledged yet, kept in localStorage so that
 * a reload, a closed tab or a network fault loses nothing. Answers are sent one at a time, in
 * order, each with its idempotency key, so a retry can never store an answer twice.
 */
export type PendingAnswer = {
  idempotencyKey: string;
  token: string;
  position: number;
  phase: 'PRACTICE' | 'SCORED';
  call: 'REAL' | 'SYNTHETIC';
  confidence: number;
  clientMs: number | null;
  telemetry: Record<string, unknown>;
};

const storageKey = (assignmentId: string) => `reading:${assignmentId}:pending`;

export function loadPending(assignmentId: string): PendingAnswer[] {
  try {
    const raw = window.localStorage.getItem(storageKey(assignmentId));
    const parsed = raw ? (JSON.parse(raw) as PendingAnswer[]) : [];
    return Array.isArray(parsed) ? parsed.sort((a, b) => a.position - b.position) : [];
  } catch {
    return [];
  }
}

export function savePending(assignmentId: string, pending: PendingAnswer[]): void {
  if (pending.length === 0) window.localStorage.removeItem(storageKey(assignmentId));
  else window.localStorage.setItem(storageKey(assignmentId), JSON.stringify(pending));
}

/** Backoff between retries: 0.5 s doubling to 8 s, with jitter so many readers do not retry in step. */
export function retryDelayMs(attempt: number): number {
  const base = Math.min(8000, 500 * 2 ** Math.min(attempt, 4));
  return base / 2 + Math.random() * (base / 2);
}
