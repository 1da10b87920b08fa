'use client';
import { describeKey, HOTKEYS } from '@/components/viewer/hotkeys';

/** The keyboard-shortcut help: every binding, confidence keys limited to the study's scale. */
export function KeysDialog({ confidenceScale, onClose }: { confidenceScale: { min: number; max: number }; onClose: () => void }) {
  const { min, max } = confidenceScale;
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {HOTKEYS.filter((h) => h.action.kind !== 'confidence' || (h.action.value >= min && h.action.value <= max)).map((hotkey) => (
            <tr key={`${hotkey.shift ? 'S' : ''}${hotkey.key}`}>
              <td>
                <kbd>{describeKey(hotkey)}</kbd>
              </td>
              <td>{hotkey.label}</td>
            </tr>
          ))}
          <tr>
            <td>Drag</td>
            <td>Window/level (left button), pan (right button or Ctrl); wheel zooms</td>
          </tr>
        </tbody>
      </table>
      <button type="button" className="secondary" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
