'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { bindingsFor, DEFAULT_KEY_SETTINGS, type KeySettings } from '@/components/viewer/hotkeys';

/**
 * A reader's keyboard settings (single-key shortcuts on/off, remapped keys), kept in this browser's
 * localStorage under the reader's id, so that they follow the reader across studies on one machine.
 */
const storageKey = (readerId: string) => `reading:keys:${readerId}`;

function load(readerId: string): KeySettings {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(storageKey(readerId)) ?? 'null') as Partial<KeySettings> | null;
    if (!parsed || typeof parsed !== 'object') return DEFAULT_KEY_SETTINGS;
    return { singleKeys: parsed.singleKeys !== false, keys: typeof parsed.keys === 'object' && parsed.keys ? parsed.keys : {} };
  } catch {
    return DEFAULT_KEY_SETTINGS;
  }
}

export function useKeySettings(readerId: string) {
  const [settings, setSettings] = useState<KeySettings>(DEFAULT_KEY_SETTINGS);
  useEffect(() => setSettings(load(readerId)), [readerId]);
  const save = useCallback(
    (next: KeySettings) => {
      setSettings(next);
      window.localStorage.setItem(storageKey(readerId), JSON.stringify(next));
    },
    [readerId],
  );
  const bindings = useMemo(() => bindingsFor(settings), [settings]);
  return { settings, bindings, save };
}
