import { describe, expect, it } from 'vitest';
import { checkAnswer, readingState, type StoredAnswer } from './reading';
import type { SequenceItem } from './types';

const items: SequenceItem[] = [
  { position: 0, imageId: 'p1', phase: 'PRACTICE', block: 0, isRepeat: false },
  { position: 1, imageId: 'p2', phase: 'PRACTICE', block: 0, isRepeat: false },
  { position: 2, imageId: 'a', phase: 'SCORED', block: 1, isRepeat: false },
  { position: 3, imageId: 'b', phase: 'SCORED', block: 1, isRepeat: false },
  { position: 4, imageId: 'c', phase: 'SCORED', block: 1, isRepeat: false },
  { position: 5, imageId: 'a', phase: 'SCORED', block: 1, isRepeat: true },
];
const answered = (n: number): StoredAnswer[] => Array.from({ length: n }, (_, p) => ({ position: p, idempotencyKey: `k${p}` }));

describe('readingState', () => {
  it('starts at the first practice item', () => {
    const s = readingState(items, []);
    expect(s).toMatchObject({ currentPosition: 0, phase: 'PRACTICE', complete: false });
    expect(s.currentItem?.imageId).toBe('p1');
    expect(s.progress).toEqual({
      practice: { done: 0, total: 2 },
      scored: { done: 0, total: 4 },
      overall: { done: 0, total: 6 },
    });
  });

  it('moves on to the scored block and reports progress per phase', () => {
    const s = readingState(items, answered(3));
    expect(s).toMatchObject({ currentPosition: 3, phase: 'SCORED', complete: false });
    expect(s.progress.practice).toEqual({ done: 2, total: 2 });
    expect(s.progress.scored).toEqual({ done: 1, total: 4 });
  });

  it('is complete once every item is answered, in any storage order', () => {
    const s = readingState([...items].reverse(), answered(6).reverse());
    expect(s).toMatchObject({ currentPosition: null, currentItem: null, phase: null, complete: true });
    expect(s.progress.overall).toEqual({ done: 6, total: 6 });
  });

  it('refuses inconsistent stored data', () => {
    expect(() => readingState(items.slice(1), [])).toThrow(/positions 0\.\.4/);
    expect(() => readingState(items, [{ position: 9, idempotencyKey: 'x' }])).toThrow(/position 9/);
    expect(() => readingState(items, [...answered(1), { position: 0, idempotencyKey: 'again' }])).toThrow(/more than one/);
  });
});

describe('checkAnswer', () => {
  it('accepts only the current position', () => {
    const ok = checkAnswer(items, answered(2), { position: 2, idempotencyKey: 'new' });
    expect(ok).toEqual({ kind: 'accept', item: items[2] });
    const ahead = checkAnswer(items, answered(2), { position: 4, idempotencyKey: 'new' });
    expect(ahead).toMatchObject({ kind: 'reject', code: 'NOT_CURRENT' });
    if (ahead.kind === 'reject') expect(ahead.message).toBe('Position 4 cannot be answered now; the current position is 2.');
  });

  it('never replaces a stored answer', () => {
    expect(checkAnswer(items, answered(3), { position: 1, idempotencyKey: 'other' })).toMatchObject({
      kind: 'reject',
      code: 'ALREADY_ANSWERED',
    });
  });

  it('reports a retry with a stored idempotency key as a duplicate, even after completion', () => {
    expect(checkAnswer(items, answered(3), { position: 2, idempotencyKey: 'k2' })).toEqual({
      kind: 'duplicate',
      original: { position: 2, idempotencyKey: 'k2' },
    });
    expect(checkAnswer(items, answered(6), { position: 5, idempotencyKey: 'k5' }).kind).toBe('duplicate');
  });

  it('rejects a key reused for another position, unknown positions and malformed attempts', () => {
    expect(checkAnswer(items, answered(3), { position: 3, idempotencyKey: 'k1' })).toMatchObject({ code: 'KEY_REUSED' });
    expect(checkAnswer(items, answered(6), { position: 6, idempotencyKey: 'z' })).toMatchObject({ code: 'UNKNOWN_POSITION' });
    expect(checkAnswer(items, [], { position: 0, idempotencyKey: '' })).toMatchObject({ code: 'INVALID' });
    expect(checkAnswer(items, [], { position: 0.5, idempotencyKey: 'x' })).toMatchObject({ code: 'INVALID' });
  });

  it('walks a whole session: each accepted answer moves the current position by one', () => {
    const stored: StoredAnswer[] = [];
    for (let p = 0; p < items.length; p++) {
      const attempt = { position: p, idempotencyKey: `key-${p}` };
      expect(checkAnswer(items, stored, attempt).kind).toBe('accept');
      stored.push(attempt);
      expect(checkAnswer(items, stored, attempt).kind).toBe('duplicate');
    }
    expect(readingState(items, stored).complete).toBe(true);
  });
});
