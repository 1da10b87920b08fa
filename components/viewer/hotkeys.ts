/** Key bindings as data, shown in the help overlay. `key` matches KeyboardEvent.key (case-insensitive). */
export type HotkeyAction =
  | { kind: 'call'; call: 'REAL' | 'SYNTHETIC' }
  | { kind: 'confidence'; value: number }
  | { kind: 'preset'; index: number }
  | { kind: 'invert' }
  | { kind: 'reset' }
  | { kind: 'fit' }
  | { kind: 'submit' }
  | { kind: 'pause' }
  | { kind: 'help' };

export type Hotkey = { key: string; shift?: boolean; action: HotkeyAction; label: string };

export const HOTKEYS: Hotkey[] = [
  { key: 'r', action: { kind: 'call', call: 'REAL' }, label: 'Call the image real' },
  { key: 's', action: { kind: 'call', call: 'SYNTHETIC' }, label: 'Call the image synthetic' },
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((value) => ({ key: String(value), action: { kind: 'confidence', value } as const, label: `Confidence ${value}` })),
  ...[1, 2, 3, 4, 5].map((index) => ({ key: String(index), shift: true, action: { kind: 'preset', index: index - 1 } as const, label: `Window preset ${index}` })),
  { key: 'Enter', action: { kind: 'submit' }, label: 'Submit the answer' },
  { key: 'i', action: { kind: 'invert' }, label: 'Invert greyscale' },
  { key: ' ', action: { kind: 'reset' }, label: 'Reset window, zoom and pan' },
  { key: 'f', action: { kind: 'fit' }, label: 'Fit to window' },
  { key: 'p', action: { kind: 'pause' }, label: 'Pause / resume' },
  { key: '?', action: { kind: 'help' }, label: 'Show or hide this help' },
];

/** Shift+digit arrives as a symbol on most layouts ('!' for 1): match by the physical key code too. */
export function matchHotkey(event: { key: string; code: string; shiftKey: boolean }): HotkeyAction | null {
  const digit = /^Digit([0-9])$/.exec(event.code)?.[1];
  for (const hotkey of HOTKEYS) {
    if (Boolean(hotkey.shift) !== event.shiftKey && hotkey.key !== '?') continue;
    const matchesKey = hotkey.key.toLowerCase() === event.key.toLowerCase() || (digit !== undefined && hotkey.key === digit);
    if (matchesKey) return hotkey.action;
  }
  return null;
}

export function describeKey(hotkey: Hotkey): string {
  const name = hotkey.key === ' ' ? 'Space' : hotkey.key.length === 1 ? hotkey.key.toUpperCase() : hotkey.key;
  return hotkey.shift ? `Shift+${name}` : name;
}
