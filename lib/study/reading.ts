/**
 * Rules of a reading session, as pure functions over what is stored: the reader's sequence items
 * and the answers recorded so far.
 *
 * Answers are append-only: the only acceptable answer is for the current position (the first one
 * without an answer), and a recorded answer is never replaced, so what a reader saw first is what
 * counts. (config.allowBack only lets the UI show earlier items; it does not reopen answers.)
 * Clients send an idempotency key with every answer; a retry carrying a key that is already stored
 * for the same position is reported as a duplicate, so the caller can return the original
 * acknowledgement instead of an error or a second answer.
 */
import type { Phase, SequenceItem } from './types';

type Item = Pick<SequenceItem, 'position' | 'phase'>;

export interface StoredAnswer {
  position: number;
  idempotencyKey: string;
}

export interface PhaseProgress {
  done: number;
  total: number;
}

export interface ReadingState<I extends Item = SequenceItem> {
  /** The position to answer next; null when complete. */
  currentPosition: number | null;
  currentItem: I | null;
  phase: Phase | null;
  progress: { practice: PhaseProgress; scored: PhaseProgress; overall: PhaseProgress };
  complete: boolean;
}

export type AnswerRejection = 'INVALID' | 'UNKNOWN_POSITION' | 'ALREADY_ANSWERED' | 'NOT_CURRENT' | 'KEY_REUSED';

export type AnswerDecision<I extends Item = SequenceItem> =
  | { kind: 'accept'; item: I }
  /** The same answer was stored before (a client retry): acknowledge it again. */
  | { kind: 'duplicate'; original: StoredAnswer }
  | { kind: 'reject'; code: AnswerRejection; message: string };

/** Where the reader stands. Throws if the stored data is inconsistent (a bug upstream). */
export function readingState<I extends Item>(items: readonly I[], answers: readonly StoredAnswer[]): ReadingState<I> {
  const byPosition = indexItems(items);
  const answered = answeredPositions(byPosition, answers);
  let current: number | null = null;
  for (let p = 0; p < byPosition.length; p++) {
    if (!answered.has(p)) {
      current = p;
      break;
    }
  }
  const count = (phase: Phase, done: boolean) =>
    byPosition.filter((i) => i.phase === phase && (!done || answered.has(i.position))).length;
  const currentItem = current === null ? null : byPosition[current];
  return {
    currentPosition: current,
    currentItem,
    phase: currentItem?.phase ?? null,
    progress: {
      practice: { done: count('PRACTICE', true), total: count('PRACTICE', false) },
      scored: { done: count('SCORED', true), total: count('SCORED', false) },
      overall: { done: answered.size, total: byPosition.length },
    },
    complete: current === null,
  };
}

/** Whether an answer for `attempt.position` may be stored now; see the file comment. */
export function checkAnswer<I extends Item>(
  items: readonly I[],
  answers: readonly StoredAnswer[],
  attempt: StoredAnswer,
): AnswerDecision<I> {
  if (!attempt.idempotencyKey || !Number.isInteger(attempt.position)) {
    return reject('INVALID', 'An answer needs an integer position and a non-empty idempotency key.');
  }
  const original = answers.find((a) => a.idempotencyKey === attempt.idempotencyKey);
  if (original) {
    if (original.position === attempt.position) return { kind: 'duplicate', original };
    return reject(
      'KEY_REUSED',
      `Idempotency key already used for position ${original.position}; use a new key for position ${attempt.position}.`,
    );
  }
  const state = readingState(items, answers);
  const item = items.find((i) => i.position === attempt.position);
  if (!item) return reject('UNKNOWN_POSITION', `Position ${attempt.position} is not part of this reading.`);
  if (answers.some((a) => a.position === attempt.position)) {
    return reject('ALREADY_ANSWERED', `Position ${attempt.position} is already answered; answers cannot be changed.`);
  }
  if (attempt.position !== state.currentPosition) {
    return reject(
      'NOT_CURRENT',
      `Position ${attempt.position} cannot be answered now; the current position is ${state.currentPosition}.`,
    );
  }
  return { kind: 'accept', item };
}

function reject(code: AnswerRejection, message: string): { kind: 'reject'; code: AnswerRejection; message: string } {
  return { kind: 'reject', code, message };
}

/** Items indexed by position, which must run 0..n-1 without gaps. */
function indexItems<I extends Item>(items: readonly I[]): I[] {
  const byPosition: I[] = new Array(items.length);
  for (const item of items) {
    if (!Number.isInteger(item.position) || item.position < 0 || item.position >= items.length || byPosition[item.position]) {
      throw new Error(`Reading items must have the positions 0..${items.length - 1} once each (got ${item.position}).`);
    }
    byPosition[item.position] = item;
  }
  return byPosition;
}

function answeredPositions(byPosition: readonly Item[], answers: readonly StoredAnswer[]): Set<number> {
  const answered = new Set<number>();
  for (const a of answers) {
    if (!byPosition[a.position]) throw new Error(`A stored answer refers to position ${a.position}, which does not exist.`);
    if (answered.has(a.position)) throw new Error(`Position ${a.position} has more than one stored answer.`);
    answered.add(a.position);
  }
  return answered;
}
