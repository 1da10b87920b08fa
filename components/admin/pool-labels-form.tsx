'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

/** Adds labels to a pool's vocabulary (a batch may only use labels its pool knows). */
export function PoolLabelsForm({ poolKey }: { poolKey: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const labels = String(new FormData(formElement).get('labels') ?? '')
      .split(/[|,]/)
      .map((l) => l.trim())
      .filter(Boolean);
    setError(null);
    const response = await fetch(`/api/admin/pools/${encodeURIComponent(poolKey)}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ labels }),
    });
    if (!response.ok) {
      setError((await response.json().catch(() => ({}))).error ?? `Request failed (${response.status})`);
      return;
    }
    formElement.reset();
    router.refresh();
  }

  return (
    <form className="row" onSubmit={onSubmit} aria-label="Add labels">
      <input name="labels" placeholder="new labels, e.g. effusion|nodule" aria-label="New labels" required />
      <button type="submit" className="secondary">
        Add labels
      </button>
      {error ? (
        <span className="error small" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
