'use client';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { workOnJob, type BrowserWorkStatus } from './browser-generation';

/**
 * Starts a generation job on the server and follows it: a progress bar fed by polling the job, a cancel
 * button while it runs, the imported batch when it is done. A job into a pool with no real images is held
 * back with a warning (no study could use its images) until the admin ticks "generate anyway". "Run on this
 * browser" makes a browser job: this tab (and any other admin tab that joins) generates latent ranges on its
 * GPU and sends them to the server, which checks a sample of each (browser-generation.ts).
 */
export type CheckpointOption = { id: string; name: string; modality: string; resolution: number; labels: string[]; pool?: { key: string; realImages: number; warning: string | null } };
export type JobRow = { id: string; status: string; progress: number; message: string | null; error: string | null; result: unknown; createdAt: string; params?: unknown };
type JobResult = { imported?: number; duplicates?: number; poolKey?: string; batchId?: string; imagesPerSecond?: number };

const ACTIVE = new Set(['QUEUED', 'RUNNING']);
const isBrowserJob = (job: JobRow | null) => (job?.params as { runner?: string } | undefined)?.runner === 'browser';

async function call(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ?? `Request failed (${response.status}).`);
  return data;
}

/** "Effusion|Nodule = 50" per line → [{ labels: ['Effusion', 'Nodule'], count: 50 }]. */
function parseLabelCounts(text: string): Array<{ labels: string[]; count: number }> | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!lines.length) return undefined;
  return lines.map((line) => {
    const match = /^(.*)=\s*(\d+)$/.exec(line);
    if (!match) throw new Error(`Cannot read "${line}": write one combination per line, e.g. "Effusion|Nodule = 50" (or "= 50" for no label).`);
    return { labels: match[1].split('|').map((l) => l.trim()).filter(Boolean), count: Number(match[2]) };
  });
}

export function GenerationPanel({ checkpoints, initialJobs }: { checkpoints: CheckpointOption[]; initialJobs: JobRow[] }) {
  const router = useRouter();
  const [checkpointId, setCheckpointId] = useState(checkpoints[0]?.id ?? '');
  const [job, setJob] = useState<JobRow | null>(initialJobs.find((j) => ACTIVE.has(j.status)) ?? null);
  const [error, setError] = useState<string | null>(null);
  const [allowWithoutReal, setAllowWithoutReal] = useState(false);
  const [runner, setRunner] = useState<'worker' | 'browser'>('worker');
  const [work, setWork] = useState<BrowserWorkStatus | null>(null);
  const stopped = useRef(false);
  useEffect(
    () => () => {
      stopped.current = true;
    },
    [],
  );

  const joinInBrowser = useCallback((jobId: string) => {
    stopped.current = false;
    setWork({ state: 'starting', images: 0 });
    void workOnJob(jobId, setWork, () => stopped.current);
  }, []);
  const selected = checkpoints.find((c) => c.id === checkpointId);
  const poolWarning = selected?.pool?.warning ?? null;

  const poll = useCallback(async (id: string) => {
    try {
      const { job: latest } = await call(`/api/admin/generation-jobs/${id}`);
      setJob(latest);
      if (!ACTIVE.has(latest.status)) router.refresh();
      return latest as JobRow;
    } catch (e) {
      setError((e as Error).message);
      return null;
    }
  }, [router]);

  useEffect(() => {
    if (!job || !ACTIVE.has(job.status)) return;
    const timer = setTimeout(() => void poll(job.id), 400);
    return () => clearTimeout(timer);
  }, [job, poll]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const count = Number(form.get('count'));
      const truncation = String(form.get('truncation') ?? '').trim();
      const body = {
        checkpointId,
        count,
        seed: Number(form.get('seed')),
        ...(truncation ? { truncation: Number(truncation) } : {}),
        ...(selected?.labels.length ? { labels: parseLabelCounts(String(form.get('labels') ?? '')) } : {}),
        ...(poolWarning && allowWithoutReal ? { allowPoolWithoutRealImages: true } : {}),
        runner,
      };
      const { jobId } = await call('/api/admin/generation-jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      setJob({ id: jobId, status: runner === 'browser' ? 'RUNNING' : 'QUEUED', progress: 0, message: null, error: null, result: null, createdAt: new Date().toISOString(), params: { runner } });
      if (runner === 'browser') joinInBrowser(jobId);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function cancel() {
    if (!job) return;
    try {
      const { job: latest } = await call(`/api/admin/generation-jobs/${job.id}`, { method: 'DELETE' });
      setJob(latest);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!checkpoints.length) return <p className="muted">Register a checkpoint to generate images.</p>;
  const result = (job?.result ?? null) as JobResult | null;
  const percent = Math.round((job?.progress ?? 0) * 100);
  return (
    <div className="card">
      <form onSubmit={onSubmit} aria-label="Generate synthetic images" className="generation-form">
        <label>
          Checkpoint{' '}
          <select name="checkpoint" aria-label="Checkpoint" value={checkpointId} onChange={(e) => {
              setCheckpointId(e.target.value);
              setAllowWithoutReal(false);
            }}>
            {checkpoints.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.modality}, {c.resolution}×{c.resolution})
              </option>
            ))}
          </select>
        </label>
        <label>
          Images <input name="count" type="number" min={1} defaultValue={200} required />
        </label>
        <label>
          Seed <input name="seed" type="number" min={0} defaultValue={1} required />
        </label>
        <label>
          Run on{' '}
          <select name="runner" aria-label="Run on" value={runner} onChange={(e) => setRunner(e.target.value as 'worker' | 'browser')}>
            <option value="worker">the server (worker)</option>
            <option value="browser">this browser&apos;s GPU (WebGPU / WebGL)</option>
          </select>
        </label>
        <label>
          Truncation <input name="truncation" type="number" step="0.05" min={0.05} placeholder="none" />
        </label>
        {selected?.labels.length ? (
          <label className="wide">
            Images per label combination (one per line, e.g. <code>{selected.labels[0]} = 100</code>, <code>= 100</code> for none; empty = all unconditioned)
            <textarea name="labels" rows={3} />
          </label>
        ) : null}
        {poolWarning ? (
          <div className="warning wide" role="alert" data-testid="pool-warning">
            <p>{poolWarning}</p>
            <label>
              <input type="checkbox" checked={allowWithoutReal} onChange={(e) => setAllowWithoutReal(e.target.checked)} /> Generate anyway into a pool without real images
            </label>
          </div>
        ) : null}
        <button type="submit" disabled={(!!job && ACTIVE.has(job.status)) || (!!poolWarning && !allowWithoutReal)}>
          Generate
        </button>
      </form>
      {error ? (
        <p className="error" role="alert" data-testid="generation-error">
          {error}
        </p>
      ) : null}
      {job ? (
        <div className="job" data-testid="generation-job" data-job-id={job.id} data-status={job.status}>
          <div className="row">
            <strong>{job.status.toLowerCase()}</strong>
            <span data-testid="generation-percent">{percent} %</span>
            {job.message ? <span className="muted">{job.message}</span> : null}
            {ACTIVE.has(job.status) ? (
              <button type="button" className="secondary" onClick={cancel}>
                Cancel
              </button>
            ) : null}
          </div>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Generation progress">
            <div style={{ width: `${percent}%` }} />
          </div>
          {isBrowserJob(job) ? (
            <p className="muted" data-testid="browser-work" data-state={work?.state ?? 'idle'} data-backend={work?.backend ?? ''} data-images={work?.images ?? 0}>
              {work
                ? `This browser (${work.backend ?? '…'}): ${work.state}, ${work.images} images sent${work.imagesPerSecond ? `, ${work.imagesPerSecond.toFixed(1)} images/s` : ''}${work.message ? ` — ${work.message}` : ''}.`
                : 'Generated in admins\' browsers.'}{' '}
              {ACTIVE.has(job.status) && (!work || work.state === 'failed' || work.state === 'finished') ? (
                <button type="button" className="secondary" onClick={() => joinInBrowser(job.id)}>
                  Work on this job in this browser
                </button>
              ) : null}
            </p>
          ) : null}
          {job.status === 'SUCCEEDED' && result ? (
            <p className="notice" role="status" data-testid="generation-result">
              Imported {result.imported} images into pool {result.poolKey}
              {result.duplicates ? ` (${result.duplicates} duplicates skipped)` : ''}; batch <code>{result.batchId}</code>
              {result.imagesPerSecond ? `, ${result.imagesPerSecond.toFixed(0)} images/s` : ''}.
            </p>
          ) : null}
          {job.status === 'FAILED' ? <p className="error">Failed: {job.error}</p> : null}
          {job.status === 'CANCELLED' ? <p className="muted">Cancelled; nothing was imported.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
