'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

/** Upload of a checkpoint zip; the server checks it (and generates one image) before storing anything. */
export function CheckpointUpload() {
  const router = useRouter();
  const [isBusy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem('checkpoint') as HTMLInputElement).files?.[0];
    if (!file) return setError('Choose a checkpoint zip first.');
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const response = await fetch('/api/admin/checkpoints', { method: 'POST', body: file, headers: { 'Content-Type': 'application/zip', 'X-File-Name': encodeURIComponent(file.name) } });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error ?? `Upload failed (${response.status}).`);
      setMessage(`Registered "${data.checkpoint.name}" (${data.checkpoint.modality}, ${data.checkpoint.resolution}×${data.checkpoint.resolution}); the test image took ${data.check.ms} ms.`);
      form.reset();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="card" aria-label="Upload a checkpoint">
      <div className="row">
        <label>
          Checkpoint zip <input type="file" name="checkpoint" accept=".zip,application/zip" />
        </label>
        <button type="submit" disabled={isBusy}>
          {isBusy ? 'Checking…' : 'Upload and check'}
        </button>
      </div>
      <p className="muted">
        A zip with <code>checkpoint.json</code>, <code>model.json</code> and its weight shards (see the README, “GAN checkpoints”).
      </p>
      {message ? (
        <p className="notice" role="status" data-testid="upload-message">
          {message}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="upload-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
