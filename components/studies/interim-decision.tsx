'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** The coordinator's decision at a reached look: continue, or close the study; kept in the audit log. */
export function InterimDecisionForm({ studyId, look }: { studyId: string; look: number }) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function decide(decision: 'continue' | 'close') {
    setError(null);
    const response = await fetch(`/api/studies/${studyId}/interim`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ look, decision, note }),
    });
    if (!response.ok) setError((await response.json().catch(() => ({}))).error ?? 'Failed.');
    else router.refresh();
  }
  return (
    <span className="row">
      <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note (optional)" aria-label={`Note for look ${look}`} />
      <button type="button" className="secondary" onClick={() => decide('continue')}>
        Continue
      </button>
      <button type="button" onClick={() => decide('close')}>
        Close study
      </button>
      {error ? <span className="error">{error}</span> : null}
    </span>
  );
}
