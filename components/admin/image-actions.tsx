'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

type Action = 'retire' | 'restore' | 'release' | 'delete';

const LABELS: Record<Action, string> = { retire: 'Retire', restore: 'Restore', release: 'Release', delete: 'Delete' };
const CONFIRM: Partial<Record<Action, string>> = {
  release: 'Release this image from quarantine? It becomes eligible for studies. The decision is recorded.',
  delete: 'Delete this image for good? Only images no study has used can be deleted.',
};

/** Buttons for an image's admin actions; each is audited on the server. */
export function ImageActions({ imageId, actions }: { imageId: string; actions: Action[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: Action) {
    if (CONFIRM[action] && !window.confirm(CONFIRM[action])) return;
    setBusy(true);
    setError(null);
    try {
      const response =
        action === 'delete'
          ? await fetch(`/api/admin/images/${imageId}`, { method: 'DELETE' })
          : await fetch(`/api/admin/images/${imageId}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action }) });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.error ?? `Request failed (${response.status})`);
      }
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="row small-buttons">
      {actions.map((action) => (
        <button key={action} type="button" className={action === 'delete' || action === 'retire' ? 'danger' : 'secondary'} disabled={busy} onClick={() => act(action)}>
          {LABELS[action]}
        </button>
      ))}
      {error ? (
        <span className="error small" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
