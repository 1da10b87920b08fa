'use client';
import { useEffect, useRef, useState } from 'react';
import { bindingsFor, describeKey, HOTKEYS, isCharacterKey, keyFromEvent, remapHotkey, type KeySettings } from '@/components/viewer/hotkeys';

type Props = {
  confidenceScale: { min: number; max: number };
  settings: KeySettings;
  onSettings: (settings: KeySettings) => void;
  onClose: () => void;
};

/**
 * The keyboard-shortcut dialog, a native modal <dialog>: focus moves in, Escape closes it, focus
 * returns to where it was. Readers turn single-key shortcuts off or move any shortcut to another key.
 */
export function KeysDialog({ confidenceScale, settings, onSettings, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [capturing, setCapturing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const node = dialog.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    node.showModal();
    return () => {
      if (node.open) node.close();
      opener?.focus();
    };
  }, []);

  const bound = new Map(bindingsFor({ ...settings, singleKeys: true }).map((h) => [h.id, h]));
  const rows = HOTKEYS.filter((h) => h.action.kind !== 'confidence' || (h.action.value >= confidenceScale.min && h.action.value <= confidenceScale.max));

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (!capturing) {
      // Escape closes through React state, so focus goes back to the opener only once the dialog is gone
      // (the browser's own close would return focus first and deliver its close event later).
      if (event.key === 'Escape') {
        event.preventDefault();
        onClose();
      }
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (event.key === 'Escape') {
      setCapturing(null);
      setMessage(null);
      return;
    }
    const to = keyFromEvent(event);
    if (!to) return;
    const result = remapHotkey(settings, capturing, to);
    if (!result.ok) return setMessage(`${result.reason}. Press another key, or Escape to keep the old one.`);
    onSettings(result.settings);
    setCapturing(null);
    setMessage(null);
  };

  return (
    <dialog ref={dialog} className="keys-dialog" aria-labelledby="keys-title" aria-modal="true" onClose={onClose} onCancel={(e) => capturing && e.preventDefault()} onKeyDown={onKeyDown}>
      <div className="keys-head">
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">Shortcuts work while no button or link has focus; Escape leaves a focused button.</p>
      <label className="row">
        <input type="checkbox" checked={settings.singleKeys} onChange={(e) => onSettings({ ...settings, singleKeys: e.target.checked })} />
        Single-key shortcuts (letters, digits, symbols, Space)
      </label>
      <p className="small" role="status">
        {capturing ? message ?? `Press the new key for “${bound.get(capturing)!.label}” (Escape keeps the old one).` : ''}
      </p>
      <table>
        <tbody>
          {rows.map((hotkey) => {
            const current = bound.get(hotkey.id)!;
            const isOff = !settings.singleKeys && isCharacterKey(current.key);
            return (
              <tr key={hotkey.id}>
                <td>{isOff ? <span className="muted">off</span> : <kbd>{describeKey(current)}</kbd>}</td>
                <td>{hotkey.label}</td>
                <td>
                  <button type="button" className="secondary small" aria-label={`Change the key for: ${hotkey.label}`} onClick={() => (setCapturing(hotkey.id), setMessage(null))}>
                    {capturing === hotkey.id ? 'Press a key…' : 'Change'}
                  </button>
                </td>
              </tr>
            );
          })}
          <tr>
            <td>Mouse</td>
            <td colSpan={2}>Drag: window/level (left button), pan (right button or Ctrl); wheel zooms</td>
          </tr>
        </tbody>
      </table>
      {Object.keys(settings.keys).length ? (
        <button type="button" className="secondary small" onClick={() => onSettings({ ...settings, keys: {} })}>
          Restore the default keys
        </button>
      ) : null}
    </dialog>
  );
}
