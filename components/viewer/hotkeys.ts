/**
 * Key bindings as data, shown in the keyboard-shortcut dialog. `key` matches KeyboardEvent.key
 * (case-insensitive). Single-character bindings can be turned off or remapped per reader (WCAG
 * 2.1.4): `bindingsFor` applies a reader's settings to the defaults.
 */
export type HotkeyAction =
  | { kind: 'call'; call: 'REAL' | 'SYNTHETIC' }
  | { kind: 'confidence'; value: number }
  | { kind: 'preset'; index: number }
  | { kind: 'invert' }
  | { kind: 'reset' }
  | { kind: 'fit' }
  | { kind: 'zoom'; steps: 1 | -1 }
  | { kind: 'pan'; dx: number; dy: number }
  | { kind: 'windowLevel'; width: number; center: number }
  | { kind: 'submit' }
  | { kind: 'pause' }
  | { kind: 'help' };

export type Hotkey = { id: string; key: string; shift?: boolean; action: HotkeyAction; label: string };

export const HOTKEYS: Hotkey[] = [
  { id: 'call-real', key: 'r', action: { kind: 'call', call: 'REAL' }, label: 'Call the image real' },
  { id: 'call-synthetic', key: 's', action: { kind: 'call', call: 'SYNTHETIC' }, label: 'Call the image synthetic' },
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((value) => ({ id: `confidence-${value}`, key: String(value), action: { kind: 'confidence', value } as const, label: `Confidence ${value}` })),
  ...[1, 2, 3, 4, 5].map((index) => ({ id: `preset-${index}`, key: String(index), shift: true, action: { kind: 'preset', index: index - 1 } as const, label: `Window preset ${index}` })),
  { id: 'submit', key: 'Enter', action: { kind: 'submit' }, label: 'Submit the answer (or continue after practice feedback)' },
  { id: 'invert', key: 'i', action: { kind: 'invert' }, label: 'Invert greyscale' },
  { id: 'reset', key: ' ', action: { kind: 'reset' }, label: 'Reset window, zoom and pan' },
  { id: 'fit', key: 'f', action: { kind: 'fit' }, label: 'Fit to window' },
  { id: 'zoom-in', key: '+', action: { kind: 'zoom', steps: 1 }, label: 'Zoom in' },
  { id: 'zoom-out', key: '-', action: { kind: 'zoom', steps: -1 }, label: 'Zoom out' },
  { id: 'pan-left', key: 'ArrowLeft', action: { kind: 'pan', dx: -1, dy: 0 }, label: 'Pan left' },
  { id: 'pan-right', key: 'ArrowRight', action: { kind: 'pan', dx: 1, dy: 0 }, label: 'Pan right' },
  { id: 'pan-up', key: 'ArrowUp', action: { kind: 'pan', dx: 0, dy: -1 }, label: 'Pan up' },
  { id: 'pan-down', key: 'ArrowDown', action: { kind: 'pan', dx: 0, dy: 1 }, label: 'Pan down' },
  { id: 'window-narrower', key: 'ArrowLeft', shift: true, action: { kind: 'windowLevel', width: -1, center: 0 }, label: 'Window narrower (more contrast)' },
  { id: 'window-wider', key: 'ArrowRight', shift: true, action: { kind: 'windowLevel', width: 1, center: 0 }, label: 'Window wider (less contrast)' },
  { id: 'level-up', key: 'ArrowUp', shift: true, action: { kind: 'windowLevel', width: 0, center: 1 }, label: 'Level up (darker)' },
  { id: 'level-down', key: 'ArrowDown', shift: true, action: { kind: 'windowLevel', width: 0, center: -1 }, label: 'Level down (brighter)' },
  { id: 'pause', key: 'p', action: { kind: 'pause' }, label: 'Pause / resume' },
  { id: 'help', key: '?', action: { kind: 'help' }, label: 'Show or hide this help' },
];

/** A reader's choices: single-character shortcuts on or off, and keys moved from their default. */
export type KeySettings = { singleKeys: boolean; keys: Record<string, { key: string; shift: boolean }> };
export const DEFAULT_KEY_SETTINGS: KeySettings = { singleKeys: true, keys: {} };

/** A letter, digit, punctuation or symbol key (what WCAG 2.1.4 lets a reader turn off). */
export function isCharacterKey(key: string): boolean {
  return key.length === 1;
}

/** Symbols typed with Shift on some layouts ('?', '+') match with or without it. */
const ignoresShift = (key: string) => isCharacterKey(key) && !/^[a-z0-9 ]$/i.test(key);

/** The bindings in force for a reader: remapped keys applied, character keys dropped when turned off. */
export function bindingsFor(settings: KeySettings): Hotkey[] {
  return HOTKEYS.map((hotkey) => {
    const moved = settings.keys[hotkey.id];
    return moved ? { ...hotkey, key: moved.key, shift: moved.shift } : hotkey;
  }).filter((hotkey) => settings.singleKeys || !isCharacterKey(hotkey.key));
}

type KeyEventLike = { key: string; code: string; shiftKey: boolean };

/** Shift+digit arrives as a symbol on most layouts ('!' for 1): match by the physical key code too. */
export function matchHotkey(event: KeyEventLike, bindings: Hotkey[] = HOTKEYS): HotkeyAction | null {
  const digit = /^Digit([0-9])$/.exec(event.code)?.[1];
  for (const hotkey of bindings) {
    if (Boolean(hotkey.shift) !== event.shiftKey && !ignoresShift(hotkey.key)) continue;
    const matchesKey = hotkey.key.toLowerCase() === event.key.toLowerCase() || (digit !== undefined && hotkey.key === digit);
    if (matchesKey) return hotkey.action;
  }
  return null;
}

/** The binding a key press would make when a reader remaps a shortcut, or null for a bare modifier. */
export function keyFromEvent(event: KeyEventLike): { key: string; shift: boolean } | null {
  if (['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'Tab', 'Escape'].includes(event.key)) return null;
  const digit = /^Digit([0-9])$/.exec(event.code)?.[1];
  if (digit !== undefined) return { key: digit, shift: event.shiftKey };
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return { key, shift: event.shiftKey && !ignoresShift(key) };
}

/**
 * Moves one binding to another key. Refused (with the reason) when another binding already uses
 * that key, so no key ever means two things.
 */
export function remapHotkey(settings: KeySettings, id: string, to: { key: string; shift: boolean }): { ok: true; settings: KeySettings } | { ok: false; reason: string } {
  const probe = { key: to.key, code: '', shiftKey: to.shift };
  const clash = bindingsFor({ ...settings, singleKeys: true }).find((h) => h.id !== id && matchHotkey(probe, [h]) !== null);
  if (clash) return { ok: false, reason: `${describeKey({ key: to.key, shift: to.shift })} is already used for “${clash.label}”` };
  const isDefault = HOTKEYS.some((h) => h.id === id && h.key === to.key && Boolean(h.shift) === to.shift);
  const keys = { ...settings.keys };
  if (isDefault) delete keys[id];
  else keys[id] = to;
  return { ok: true, settings: { ...settings, keys } };
}

export function describeKey(hotkey: { key: string; shift?: boolean }): string {
  const name = hotkey.key === ' ' ? 'Space' : hotkey.key.length === 1 ? hotkey.key.toUpperCase() : hotkey.key.replace(/^Arrow/, '');
  const arrow = { Left: '←', Right: '→', Up: '↑', Down: '↓' }[name];
  const shown = hotkey.key.startsWith('Arrow') && arrow ? arrow : name;
  return hotkey.shift ? `Shift+${shown}` : shown;
}
