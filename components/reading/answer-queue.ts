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

export type Connection = 'online' | 'reconnecting' | 'signed-out';

/** The part of the Web Storage API the queue uses (window.localStorage in the browser). */
export type PendingStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const storageKey = (assignmentId: string) => `reading:${assignmentId}:pending`;

export function loadPending(assignmentId: string, store: PendingStore = window.localStorage): PendingAnswer[] {
  try {
    const raw = store.getItem(storageKey(assignmentId));
    const parsed = raw ? (JSON.parse(raw) as PendingAnswer[]) : [];
    return Array.isArray(parsed) ? parsed.sort((a, b) => a.position - b.position) : [];
  } catch {
    return [];
  }
}

export function savePending(assignmentId: string, pending: PendingAnswer[], store: PendingStore = window.localStorage): void {
  if (pending.length === 0) store.removeItem(storageKey(assignmentId));
  else store.setItem(storageKey(assignmentId), JSON.stringify(pending));
}

/** Backoff between retries: 0.5 s doubling to 8 s, with jitter so many readers do not retry in step. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** Math.min(attempt, 4));
  return base / 2 + random() * (base / 2);
}

/** What the server said to one answer: its HTTP status and JSON body (empty when none). */
export type Delivery = { status: number; body: Record<string, unknown> };

export type AnswerQueueOptions = {
  assignmentId: string;
  /** Posts one answer; throws on a network fault. */
  post: (answer: PendingAnswer) => Promise<Delivery>;
  store: PendingStore;
  /** Waits between retries (setTimeout in the browser; tests pass their own clock). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Every change of the list or the connection. */
  onChange?: () => void;
  onAcknowledged?: (answer: PendingAnswer, body: Record<string, unknown>) => void;
  /** Refused for good (already answered elsewhere, study closed…): the answer is dropped. */
  onRefused?: (answer: PendingAnswer, delivery: Delivery) => void;
};

/**
 * Delivers queued answers one at a time, in order of position, retrying with backoff until each is
 * acknowledged. A 401 stops delivery until the next answer is added (the reader signs in again
 * elsewhere); a 5xx or a network fault is retried; any other refusal drops the answer.
 */
export class AnswerQueue {
  private list: PendingAnswer[];
  private connectionState: Connection = 'online';
  private isRunning = false;
  private isStopped = false;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: AnswerQueueOptions) {
    this.list = loadPending(options.assignmentId, options.store);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  get pending(): readonly PendingAnswer[] {
    return this.list;
  }

  get connection(): Connection {
    return this.connectionState;
  }

  add(answer: PendingAnswer): void {
    this.list = [...this.list, answer].sort((a, b) => a.position - b.position);
    this.changed();
    void this.run();
  }

  /** Starts delivering what an earlier visit left behind. */
  start(): void {
    this.isStopped = false;
    void this.run();
  }

  stop(): void {
    this.isStopped = true;
  }

  private changed(): void {
    savePending(this.options.assignmentId, this.list, this.options.store);
    this.options.onChange?.();
  }

  private setConnection(connection: Connection): void {
    if (connection === this.connectionState) return;
    this.connectionState = connection;
    this.options.onChange?.();
  }

  private async run(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    try {
      let attempt = 0;
      while (!this.isStopped && this.list.length > 0) {
        const answer = this.list[0];
        let delivery: Delivery;
        try {
          delivery = await this.options.post(answer);
          if (delivery.status >= 500) throw new Error(`server ${delivery.status}`);
        } catch {
          if (this.isStopped) return;
          this.setConnection('reconnecting');
          await this.sleep(retryDelayMs(attempt++, this.random));
          continue;
        }
        if (this.isStopped) return;
        if (delivery.status === 401) {
          this.setConnection('signed-out');
          return;
        }
        attempt = 0;
        this.list = this.list.filter((p) => p.idempotencyKey !== answer.idempotencyKey);
        this.connectionState = 'online';
        if (delivery.status >= 200 && delivery.status < 300) this.options.onAcknowledged?.(answer, delivery.body);
        else this.options.onRefused?.(answer, delivery);
        this.changed();
      }
    } finally {
      this.isRunning = false;
    }
  }
}
