'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';

type Problem = { file: string; problem: string };
type Accepted = { batchId: string; poolKey: string; imported: number; duplicates: Array<{ file: string }>; ignored: string[]; jobId: string | null; createdPool: boolean };
type NewPool = { key: string; modality: string; width: number; height: number; bitDepth: number };
type Phase = 'idle' | 'uploading' | 'processing' | 'done' | 'confirm' | 'failed';

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/**
 * Uploads a batch zip with XMLHttpRequest (fetch has no upload progress): a progress bar while the bytes
 * go up, then "processing" while the server reads and checks every file, then the result — or every
 * problem the server named. The server enforces all limits; the size check here only saves a futile upload.
 */
export function BatchUploadForm({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [phases, setPhases] = useState<Phase[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [percent, setPercent] = useState(0);
  const [accepted, setAccepted] = useState<Accepted | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  // A batch that would create a pool: the server's proposal, the name the admin gives it, and the form data to send again.
  const [newPool, setNewPool] = useState<NewPool | null>(null);
  const [poolName, setPoolName] = useState('');
  const pending = useRef<FormData | null>(null);

  const enter = (next: Phase) => {
    setPhase(next);
    setPhases((seen) => (seen.at(-1) === next ? seen : [...seen, next]));
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send(new FormData(event.currentTarget), false);
  }

  function onConfirmPool(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending.current) return;
    const form = new FormData();
    for (const [name, value] of pending.current.entries()) if (name !== 'newPool') form.append(name, value);
    form.append('newPool', poolName.trim());
    send(form, true);
  }

  /** `isConfirmation`: the same batch again after the admin confirmed its new pool (one attempt, one history of phases). */
  function send(form: FormData, isConfirmation: boolean) {
    const file = form.get('file');
    pending.current = form;
    setNewPool(null);
    if (!isConfirmation) {
      setAttempt((n) => n + 1);
      setPhases([]);
    }
    setAccepted(null);
    setError(null);
    setProblems([]);
    setPercent(0);
    if (!(file instanceof File) || file.size === 0) {
      enter('failed');
      setError('Choose a .zip file first.');
      return;
    }
    if (file.size > maxBytes) {
      enter('failed');
      setError(`The file is ${formatBytes(file.size)}; the upload limit is ${formatBytes(maxBytes)}. Split the batch into smaller zips.`);
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/admin/batches');
    xhr.responseType = 'json';
    enter('uploading');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPercent(Math.round((e.loaded / e.total) * 100));
    };
    xhr.upload.onload = () => {
      setPercent(100);
      enter('processing');
    };
    xhr.onload = () => {
      const body = (xhr.response ?? {}) as Partial<Accepted> & { error?: string; problems?: Problem[]; code?: string; newPool?: NewPool };
      if (xhr.status === 201) {
        enter('done');
        setAccepted(body as Accepted);
        pending.current = null;
        formRef.current?.reset();
        router.refresh();
      } else if (xhr.status === 409 && body.code === 'NEW_POOL' && body.newPool) {
        // Nothing was stored: the admin confirms the new pool (or names it) and the same zip goes up again.
        enter('confirm');
        setNewPool(body.newPool);
        setPoolName(body.newPool.key);
      } else {
        enter('failed');
        setError(body.error ?? `The upload failed (HTTP ${xhr.status}).`);
        setProblems(body.problems ?? []);
      }
    };
    xhr.onerror = () => {
      enter('failed');
      setError('The upload was interrupted (network error). Nothing was stored; try again.');
    };
    xhr.send(form);
  }

  const isBusy = phase === 'uploading' || phase === 'processing';
  return (
    <div className="card stack-gap" data-testid="batch-upload" data-phase={phase} data-phases={phases.join(',')} data-attempt={attempt}>
      <form ref={formRef} className="upload-form" onSubmit={onSubmit} aria-label="Upload a batch">
        <label>
          Zip file (PNG / DICOM, optional manifest.csv)
          <input name="file" type="file" accept=".zip,application/zip" required disabled={isBusy} />
        </label>
        <label>
          Modality
          <select name="modality" defaultValue="CXR" disabled={isBusy}>
            <option value="CXR">Chest radiograph (CXR)</option>
            <option value="CT_HEAD">Head CT (CT_HEAD)</option>
          </select>
        </label>
        <label>
          Origin
          <select name="origin" defaultValue="REAL" disabled={isBusy}>
            <option value="REAL">Real</option>
            <option value="SYNTHETIC">Synthetic</option>
          </select>
        </label>
        <button type="submit" disabled={isBusy}>
          Upload
        </button>
      </form>
      <p className="muted small">
        One zip per batch, up to {formatBytes(maxBytes)}. Manifest columns: file, labels (pipe-separated), optionally patient_id, resolution,
        source, licence. A batch is stored whole or not at all.
      </p>
      {phase === 'uploading' || phase === 'processing' ? (
        <div className="row" role="status" data-testid="upload-status">
          <progress data-testid="upload-progress" max={100} value={phase === 'uploading' ? percent : undefined} />
          <span>{phase === 'uploading' ? `Uploading… ${percent}%` : 'Processing: reading and checking every file…'}</span>
        </div>
      ) : null}
      {newPool ? (
        <form className="notice stack-gap" role="alert" data-testid="new-pool" onSubmit={onConfirmPool} aria-label="Confirm the new pool">
          <p>
            This batch would create a <strong>new pool</strong>, <code data-testid="new-pool-key">{newPool.key}</code>: no pool holds {newPool.modality}{' '}
            {newPool.width}×{newPool.height} {newPool.bitDepth}-bit images yet. Nothing has been stored. Create the pool (you may name it), or cancel and
            convert the images to an existing pool&apos;s size and bit depth.
          </p>
          <label>
            Pool name
            <input name="poolName" value={poolName} onChange={(e) => setPoolName(e.target.value)} required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" />
          </label>
          <div className="row">
            <button type="submit">Create pool {poolName.trim() || newPool.key} and upload</button>
            <button
              type="button"
              onClick={() => {
                setNewPool(null);
                pending.current = null;
                enter('idle');
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {accepted ? (
        <div className="notice" role="status" data-testid="upload-result">
          {accepted.createdPool ? <p data-testid="created-pool">Created the new pool {accepted.poolKey}.</p> : null}
          <p>
            Imported <strong data-testid="imported">{accepted.imported}</strong> image(s) into pool{' '}
            <a href={`/admin/pools/${encodeURIComponent(accepted.poolKey)}`}>{accepted.poolKey}</a>
            {accepted.duplicates.length ? (
              <>
                ; <span data-testid="duplicates">{accepted.duplicates.length}</span> duplicate(s) already stored, not stored again:{' '}
                {accepted.duplicates.map((d) => d.file).join(', ')}
              </>
            ) : null}
            .
          </p>
          {accepted.ignored.length ? <p className="muted small">Ignored: {accepted.ignored.join(', ')}</p> : null}
          {accepted.jobId ? <p className="small">Memorisation check queued; its progress is shown under Recent batches.</p> : null}
        </div>
      ) : null}
      {error ? (
        <div className="error-box" role="alert" data-testid="upload-error">
          <p>{error}</p>
          {problems.length ? (
            <table data-testid="upload-problems">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={`${p.file}-${i}`}>
                    <td>
                      <code>{p.file}</code>
                    </td>
                    <td>{p.problem}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
