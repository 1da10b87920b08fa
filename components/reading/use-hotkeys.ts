'use client';
import { useEffect, useRef } from 'react';
import { matchHotkey, type Hotkey, type HotkeyAction } from '@/components/viewer/hotkeys';

/** Elements that handle keys themselves: while one has focus, no shortcut fires. */
const CONTROL = 'button, a[href], input, select, textarea, summary, dialog, [contenteditable], [role=button], [role=link], [role=checkbox]';

/**
 * The reading room's page-wide shortcuts. Every key press without a modifier is passed to `onKey`
 * (idle-time telemetry); one that matches a binding goes to `onAction`, its default prevented —
 * unless a control or link has focus: then the key is the control's (Enter on a focused Pause
 * pauses), and Escape hands the keyboard back to the shortcuts. A mouse click leaves no focus on a
 * button of the room, so the shortcuts keep working after one.
 */
export function useHotkeys(bindings: Hotkey[], onAction: (action: HotkeyAction) => void, onKey?: () => void) {
  const handlers = useRef({ bindings, onAction, onKey });
  handlers.current = { bindings, onAction, onKey };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      handlers.current.onKey?.();
      // A disabled control (Submit before an answer is chosen) takes no keys: the shortcuts do.
      const focused = event.target instanceof Element ? event.target.closest(CONTROL) : null;
      if (focused && !focused.matches(':disabled')) {
        if (event.key === 'Escape' && focused instanceof HTMLElement && !focused.closest('dialog')) focused.blur();
        return;
      }
      const action = matchHotkey(event, handlers.current.bindings);
      if (!action) return;
      event.preventDefault();
      handlers.current.onAction(action);
    };
    const onMouseDown = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest('.reading-room button') && !event.target.closest('dialog')) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('mousedown', onMouseDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('mousedown', onMouseDown);
    };
  }, []);
}
