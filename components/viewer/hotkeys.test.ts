import { describe, expect, it } from 'vitest';
import { bindingsFor, DEFAULT_KEY_SETTINGS, describeKey, HOTKEYS, isCharacterKey, keyFromEvent, matchHotkey, remapHotkey } from './hotkeys';

const key = (key: string, code = '', shiftKey = false) => ({ key, code, shiftKey });

describe('matchHotkey', () => {
  it('matches letters case-insensitively and named keys exactly', () => {
    expect(matchHotkey(key('r', 'KeyR'))).toEqual({ kind: 'call', call: 'REAL' });
    expect(matchHotkey(key('S', 'KeyS'))).toEqual({ kind: 'call', call: 'SYNTHETIC' });
    expect(matchHotkey(key('Enter', 'Enter'))).toEqual({ kind: 'submit' });
    expect(matchHotkey(key(' ', 'Space'))).toEqual({ kind: 'reset' });
    expect(matchHotkey(key('x', 'KeyX'))).toBeNull();
  });

  it('tells digits (confidence) from Shift+digits (presets), whatever symbol the layout gives', () => {
    expect(matchHotkey(key('3', 'Digit3'))).toEqual({ kind: 'confidence', value: 3 });
    expect(matchHotkey(key('!', 'Digit1', true))).toEqual({ kind: 'preset', index: 0 });
    expect(matchHotkey(key('"', 'Digit2', true))).toEqual({ kind: 'preset', index: 1 });
    expect(matchHotkey(key('3', 'Numpad3'))).toEqual({ kind: 'confidence', value: 3 });
    expect(matchHotkey(key('R', 'KeyR', true))).toBeNull();
  });

  it('matches ? with or without Shift (it needs Shift on most layouts)', () => {
    expect(matchHotkey(key('?', 'Slash', true))).toEqual({ kind: 'help' });
    expect(matchHotkey(key('?', 'Minus'))).toEqual({ kind: 'help' });
  });

  it('has no key bound twice', () => {
    const names = HOTKEYS.map(describeKey);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('a reader\'s key settings', () => {
  it('matches symbols typed with Shift whether or not Shift is down', () => {
    expect(matchHotkey(key('+', 'Equal', true))).toEqual({ kind: 'zoom', steps: 1 });
    expect(matchHotkey(key('-', 'Minus'))).toEqual({ kind: 'zoom', steps: -1 });
    expect(matchHotkey(key('ArrowLeft', 'ArrowLeft'))).toEqual({ kind: 'pan', dx: -1, dy: 0 });
    expect(matchHotkey(key('ArrowLeft', 'ArrowLeft', true))).toEqual({ kind: 'windowLevel', width: -1, center: 0 });
  });

  it('turning single-key shortcuts off leaves Enter and the arrows, and drops every character key', () => {
    const bindings = bindingsFor({ singleKeys: false, keys: {} });
    expect(matchHotkey(key('r', 'KeyR'), bindings)).toBeNull();
    expect(matchHotkey(key('3', 'Digit3'), bindings)).toBeNull();
    expect(matchHotkey(key('!', 'Digit1', true), bindings)).toBeNull();
    expect(matchHotkey(key(' ', 'Space'), bindings)).toBeNull();
    expect(matchHotkey(key('?', 'Slash', true), bindings)).toBeNull();
    expect(matchHotkey(key('Enter', 'Enter'), bindings)).toEqual({ kind: 'submit' });
    expect(matchHotkey(key('ArrowUp', 'ArrowUp', true), bindings)).toEqual({ kind: 'windowLevel', width: 0, center: 1 });
    expect(bindings.every((h) => !isCharacterKey(h.key))).toBe(true);
  });

  it('remaps a shortcut, refuses a key already in use, and forgets a key moved back to its default', () => {
    const moved = remapHotkey(DEFAULT_KEY_SETTINGS, 'call-real', { key: 'q', shift: false });
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    const bindings = bindingsFor(moved.settings);
    expect(matchHotkey(key('q', 'KeyQ'), bindings)).toEqual({ kind: 'call', call: 'REAL' });
    expect(matchHotkey(key('r', 'KeyR'), bindings)).toBeNull();
    expect(remapHotkey(moved.settings, 'call-synthetic', { key: 'q', shift: false })).toEqual({ ok: false, reason: 'Q is already used for “Call the image real”' });
    expect(remapHotkey(moved.settings, 'zoom-in', { key: '1', shift: true })).toEqual({ ok: false, reason: 'Shift+1 is already used for “Window preset 1”' });
    const back = remapHotkey(moved.settings, 'call-real', { key: 'r', shift: false });
    expect(back).toEqual({ ok: true, settings: DEFAULT_KEY_SETTINGS });
  });

  it('reads the key a reader presses to remap: digits by their physical key, letters lower-cased, modifiers alone ignored', () => {
    expect(keyFromEvent(key('!', 'Digit1', true))).toEqual({ key: '1', shift: true });
    expect(keyFromEvent(key('Q', 'KeyQ', true))).toEqual({ key: 'q', shift: true });
    expect(keyFromEvent(key('+', 'Equal', true))).toEqual({ key: '+', shift: false });
    expect(keyFromEvent(key('Shift', 'ShiftLeft', true))).toBeNull();
  });
});
