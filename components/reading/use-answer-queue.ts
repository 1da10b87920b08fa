'use client';
import { useEffect, useRef, useState } from 'react';
import { AnswerQueue, type Connection, type Delivery, type PendingAnswer } from './answer-queue';

type Handlers = {
  onAcknowledged: (answer: PendingAnswer, body: Record<string, unknown>) => void;
  onRefused: (answer: PendingAnswer, delivery: Delivery) => void;
};

async function postAnswer(assignmentId: string, answer: PendingAnswer): Promise<Delivery> {
  const response = await fetch(`/api/reading/${assignmentId}/answers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      token: answer.token,
      position: answer.position,
      call: answer.call,
      confidence: answer.confidence,
      clientMs: answer.clientMs,
      idempotencyKey: answer.idempotencyKey,
      telemetry: answer.telemetry,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body };
}

/**
 * The reading room's face of the AnswerQueue: the unacknowledged answers (restored from an earlier
 * visit once mounted), the connection state, and `enqueue`. `restored` is the list found on mount.
 */
export function useAnswerQueue(assignmentId: string, handlers: Handlers) {
  const [pending, setPending] = useState<readonly PendingAnswer[]>([]);
  const [connection, setConnection] = useState<Connection>('online');
  const [restored, setRestored] = useState<readonly PendingAnswer[] | null>(null);
  const queue = useRef<AnswerQueue | null>(null);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    const created = new AnswerQueue({
      assignmentId,
      store: window.localStorage,
      post: (answer) => postAnswer(assignmentId, answer),
      onChange: () => {
        setPending(created.pending);
        setConnection(created.connection);
      },
      onAcknowledged: (answer, body) => handlersRef.current.onAcknowledged(answer, body),
      onRefused: (answer, delivery) => handlersRef.current.onRefused(answer, delivery),
    });
    queue.current = created;
    setPending(created.pending);
    setRestored(created.pending);
    created.start();
    return () => {
      created.stop();
      queue.current = null;
    };
  }, [assignmentId]);

  const enqueue = (answer: PendingAnswer) => queue.current?.add(answer);
  return { pending, connection, restored, enqueue };
}
