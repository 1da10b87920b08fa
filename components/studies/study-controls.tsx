'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Close an open study, or reopen a closed one with a reason (kept in the audit log). */
export function StudyControls({ studyId, status }: { studyId: string; status: 'OPEN' | 'CLOSED' | 'DRAFT' }) {
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function post(path: string, body?: unknown) {
    setError(null);
    const response = await fetch(`/api/studies/${studyId}/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) setError((await response.json().catch(() => ({}))).error ?? 'Failed.');
    else router.refresh();
  }
  if (status === 'OPEN') {
    return (
      <button type="button" className="secondary" onClick={() => post('close')}>
        Close study
      </button>
    );
  }
  if (status === 'CLOSED') {
    return (
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          post('reopen', { reason });
        }}
      >
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason for reopening" aria-label="Reason for reopening" required />
        <button type="submit" className="secondary">
          Reopen
        </button>
        {error ? <span className="error">{error}</span> : null}
      </form>
    );
  }
  return null;
}
