import { describe, expect, it } from 'vitest';
import { describeKey, HOTKEYS, matchHotkey } from './hotkeys';

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
