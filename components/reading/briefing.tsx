'use client';
import { useState } from 'react';
import { describeKey, type Hotkey } from '@/components/viewer/hotkeys';

/** A rough reading pace for the time estimate: about ten seconds an image, practice included. */
const SECONDS_PER_IMAGE = 10;

type Props = {
  assignmentId: string;
  studyName: string;
  /** The study's own briefing (its configuration's text, or the default). */
  text: string;
  total: number;
  practiceTotal: number;
  confidenceScale: { min: number; max: number };
  bindings: Hotkey[];
  onConfirmed: () => void;
};

/**
 * What a reader reads once per study before the first image: what the study asks, how many images,
 * what feedback there is, how long it takes, and the keys. Confirming it is recorded on the server.
 */
export function Briefing({ assignmentId, studyName, text, total, practiceTotal, confidenceScale, bindings, onConfirmed }: Props) {
  const [isSending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    setSending(true);
    const response = await fetch(`/api/reading/${assignmentId}/briefing`, { method: 'POST' }).catch(() => null);
    setSending(false);
    if (response?.ok) onConfirmed();
    else setProblem('Could not record this on the server; check the connection and try again.');
  };
  const scored = total - practiceTotal;
  const minutes = Math.max(1, Math.round((total * SECONDS_PER_IMAGE) / 60));
  const key = (id: string) => {
    const binding = bindings.find((h) => h.id === id);
    return binding ? describeKey(binding) : null;
  };
  const confidenceKeys = [key(`confidence-${confidenceScale.min}`), key(`confidence-${Math.min(confidenceScale.max, 9)}`)];
  const keys: Array<[string | null, string]> = [
    [key('call-real'), 'real'],
    [key('call-synthetic'), 'synthetic'],
    [confidenceKeys.every(Boolean) ? confidenceKeys.join('–') : null, `confidence (${confidenceScale.min} = guessing, ${confidenceScale.max} = certain)`],
    [key('submit'), 'submit the answer'],
    [[key('zoom-in'), key('zoom-out')].filter(Boolean).join(' / ') || null, 'zoom in / out'],
    [['pan-left', 'pan-right', 'pan-up', 'pan-down'].map(key).filter(Boolean).join(' ') || null, 'pan'],
    [['window-narrower', 'window-wider', 'level-up', 'level-down'].map(key).filter(Boolean).join(' ') || null, 'window width and level'],
    [key('pause'), 'pause'],
    [key('help'), 'all keys (Keys button): turn single-key shortcuts off or change them'],
  ];
  return (
    <main className="reading-room finished">
      <section className="card briefing" data-testid="briefing" aria-labelledby="briefing-title">
        <h1 id="briefing-title">Before you start: {studyName}</h1>
        <p>{text}</p>
        <ul>
          <li>
            {total} image{total === 1 ? '' : 's'}:{' '}
            {practiceTotal > 0
              ? `${practiceTotal} practice image${practiceTotal === 1 ? '' : 's'} first, after which you are told whether you were right, then ${scored} scored.`
              : `all ${scored} scored.`}
          </li>
          <li>Scored images give no feedback, and an image cannot be revisited once answered.</li>
          <li>It takes about {minutes} minute{minutes === 1 ? '' : 's'}. You can pause at any time, or stop and come back later: your place is kept.</li>
        </ul>
        <h2>Keys</h2>
        <table className="briefing-keys">
          <tbody>
            {keys
              .filter(([k]) => k !== null)
              .map(([k, what]) => (
                <tr key={what}>
                  <td>
                    <kbd>{k}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
          </tbody>
        </table>
        <p className="muted small">The mouse works too: drag for window/level, right-drag to pan, wheel to zoom. Keys act while no button has focus.</p>
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="button" onClick={confirm} disabled={isSending}>
          I have read this — begin
        </button>
      </section>
    </main>
  );
}
