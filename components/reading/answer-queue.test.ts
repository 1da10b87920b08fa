import { describe, expect, it } from 'vitest';
import { AnswerQueue, loadPending, retryDelayMs, type Delivery, type PendingAnswer, type PendingStore } from './answer-queue';

function memoryStore(): PendingStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const answer = (position: number): PendingAnswer => ({
  idempotencyKey: `key-${position}`,
  token: `token-${position}`,
  position,
  phase: 'SCORED',
  call: 'REAL',
  confidence: 3,
  clientMs: 1000,
  telemetry: {},
});

/** A server the test answers by hand: each post waits until the test resolves it. */
function manualServer() {
  const calls: Array<{ answer: PendingAnswer; reply: (d: Delivery | Error) => void }> = [];
  const post = (a: PendingAnswer) =>
    new Promise<Delivery>((resolve, reject) => calls.push({ answer: a, reply: (d) => (d instanceof Error ? reject(d) : resolve(d)) }));
  return { calls, post };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('retryDelayMs', () => {
  it('doubles from 0.5 s to a cap of 8 s, jittered within the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe('AnswerQueue', () => {
  it('sends one answer at a time, in order of position, and the next only after the first is acknowledged', async () => {
    const server = manualServer();
    const acknowledged: number[] = [];
    const queue = new AnswerQueue({ assignmentId: 'a', store: memoryStore(), post: server.post, onAcknowledged: (a) => acknowledged.push(a.position) });
    queue.add(answer(1));
    queue.add(answer(3));
    queue.add(answer(2));
    await flush();
    expect(server.calls.map((c) => c.answer.position)).toEqual([1]);
    server.calls[0].reply({ status: 200, body: { answered: 2 } });
    await flush();
    expect(server.calls.map((c) => c.answer.position)).toEqual([1, 2]);
    server.calls[1].reply({ status: 200, body: {} });
    await flush();
    server.calls[2].reply({ status: 200, body: {} });
    await flush();
    expect(server.calls.map((c) => c.answer.position)).toEqual([1, 2, 3]);
    expect(acknowledged).toEqual([1, 2, 3]);
    expect(queue.pending).toEqual([]);
  });

  it('retries a network fault or a 5xx with growing delays, reconnecting, and keeps the same idempotency key', async () => {
    const server = manualServer();
    const delays: number[] = [];
    const queue = new AnswerQueue({
      assignmentId: 'a',
      store: memoryStore(),
      post: server.post,
      random: () => 1,
      sleep: async (ms) => void delays.push(ms),
    });
    queue.add(answer(0));
    for (let i = 0; i < 6; i++) {
      await flush();
      server.calls[i].reply(i % 2 ? { status: 503, body: {} } : new Error('offline'));
      await flush();
      expect(queue.connection).toBe('reconnecting');
    }
    await flush();
    server.calls[6].reply({ status: 200, body: {} });
    await flush();
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(new Set(server.calls.map((c) => c.answer.idempotencyKey))).toEqual(new Set(['key-0']));
    expect(queue.connection).toBe('online');
    expect(queue.pending).toEqual([]);
  });

  it('keeps every unacknowledged answer in storage, and a new queue starts with them', async () => {
    const store = memoryStore();
    const server = manualServer();
    const queue = new AnswerQueue({ assignmentId: 'a', store, post: server.post });
    queue.add(answer(5));
    queue.add(answer(4));
    expect(loadPending('a', store).map((a) => a.position)).toEqual([4, 5]);
    queue.stop();
    const later = new AnswerQueue({ assignmentId: 'a', store, post: async () => ({ status: 200, body: {} }) });
    expect(later.pending.map((a) => a.position)).toEqual([4, 5]);
    later.start();
    await flush();
    await flush();
    expect(later.pending).toEqual([]);
    expect(store.data.size).toBe(0);
  });

  it('stops on 401 until the next answer, and drops a refused answer with its reason', async () => {
    const replies: Delivery[] = [{ status: 401, body: {} }, { status: 409, body: { error: 'already answered' } }, { status: 200, body: {} }];
    const posted: number[] = [];
    const refused: string[] = [];
    const queue = new AnswerQueue({
      assignmentId: 'a',
      store: memoryStore(),
      post: async (a) => (posted.push(a.position), replies.shift()!),
      onRefused: (_a, d) => refused.push(String(d.body.error)),
    });
    queue.add(answer(0));
    await flush();
    expect(queue.connection).toBe('signed-out');
    expect(posted).toEqual([0]);
    await flush();
    expect(posted).toEqual([0]);
    queue.add(answer(1));
    await flush();
    await flush();
    expect(posted).toEqual([0, 0, 1]);
    expect(refused).toEqual(['already answered']);
    expect(queue.pending).toEqual([]);
    expect(queue.connection).toBe('online');
  });
});
