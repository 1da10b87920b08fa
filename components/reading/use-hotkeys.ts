'use client';
import { useEffect, useRef } from 'react';
import { matchHotkey, type HotkeyAction } from '@/components/viewer/hotkeys';

/**
 * The reading room's page-wide shortcuts: every key press without a modifier is passed to
 * `onKey` (idle-time telemetry), and one that matches a binding to `onAction`, its default prevented.
 */
export function useHotkeys(onAction: (action: HotkeyAction) => void, onKey?: () => void) {
  const handlers = useRef({ onAction, onKey });
  handlers.current = { onAction, onKey };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey) return;
      handlers.current.onKey?.();
      const action = matchHotkey(event);
      if (!action) return;
      event.preventDefault();
      handlers.current.onAction(action);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
