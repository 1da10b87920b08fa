'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReaderItem, ReaderState } from '@/lib/reading/store';

/** Items (and their images) kept ready ahead of the current one. */
export const AHEAD = 12;

/**
 * Keeps about a dozen items ahead of `position` known, and their images downloaded, so that a
 * reader can go on through a network outage and loading never counts in the response time.
 * Images already answered are dropped.
 */
export function usePrefetch(initialState: ReaderState, position: number) {
  const { assignmentId, total } = initialState;
  const [items, setItems] = useState<Map<number, ReaderItem>>(() => new Map(initialState.items.map((i) => [i.position, i])));
  const [serverAnswered, setServerAnswered] = useState(initialState.answered);
  const [images, setImages] = useState<Map<string, ArrayBuffer>>(() => new Map());
  const fetching = useRef(new Set<string>());
  const isFinished = position >= total;

  const mergeState = useCallback((state: ReaderState) => {
    setServerAnswered((a) => Math.max(a, state.answered));
    setItems((old) => {
      const next = new Map(old);
      for (const item of state.items) next.set(item.position, item);
      return next;
    });
  }, []);
  const noteAnswered = useCallback((answered: number) => setServerAnswered((a) => Math.max(a, answered)), []);

  useEffect(() => {
    const ahead = Math.min(AHEAD, total - 1 - position);
    if (isFinished || ahead <= 0 || items.has(position + ahead)) return;
    const timer = setTimeout(async () => {
      const response = await fetch(`/api/reading/${assignmentId}`).catch(() => null);
      if (response?.ok) mergeState(await response.json());
    }, 300);
    return () => clearTimeout(timer);
  }, [assignmentId, position, items, total, isFinished, mergeState, serverAnswered]);

  useEffect(() => {
    const wanted = [...items.values()].filter((i) => i.position >= position).sort((a, b) => a.position - b.position).slice(0, AHEAD + 1);
    for (const item of wanted) {
      if (images.has(item.token) || fetching.current.has(item.token)) continue;
      fetching.current.add(item.token);
      void fetch(`/api/reading/images/${item.token}`)
        .then(async (response) => {
          if (!response.ok) throw new Error(String(response.status));
          const bytes = await response.arrayBuffer();
          setImages((old) => new Map(old).set(item.token, bytes));
        })
        .catch(() => undefined)
        .finally(() => fetching.current.delete(item.token));
    }
    setImages((old) => {
      const keep = new Set(wanted.map((i) => i.token));
      if ([...old.keys()].every((k) => keep.has(k))) return old;
      return new Map([...old].filter(([k]) => keep.has(k)));
    });
  }, [items, position, images]);

  return { items, images, mergeState, noteAnswered };
}
