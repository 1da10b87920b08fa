'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

type Job = { status: string; progress: number; message: string | null; error: string | null } | null;
const isActive = (job: Job) => job?.status === 'QUEUED' || job?.status === 'RUNNING';

/** Starts a checkpoint's evaluation jobs and follows them; refreshes the page when one ends. */
export function EvaluationControl({ checkpointId, canUtility }: { checkpointId: string; canUtility: boolean }) {
  const router = useRouter();
  const [jobs, setJobs] = useState<{ machine: Job; utility: Job }>({ machine: null, utility: null });
  const [error, setError] = useState<string | null>(null);
  const running = isActive(jobs.machine) || isActive(jobs.utility);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/admin/checkpoints/${checkpointId}/evaluation`).catch(() => null);
      if (!response?.ok) return;
      const next = await response.json();
      setJobs(next);
      if (!isActive(next.machine) && !isActive(next.utility)) router.refresh();
    }, 2000);
    return () => clearInterval(timer);
  }, [running, checkpointId, router]);

  async function start(kind: 'two-sample-test' | 'train-synthetic-test-real') {
    setError(null);
    const response = await fetch(`/api/admin/checkpoints/${checkpointId}/evaluation`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind }) });
    const result = await response.json().catch(() => ({}));
    if (!response.ok) return setError(result.error ?? 'Could not start.');
    setJobs((j) => ({ ...j, [kind === 'two-sample-test' ? 'machine' : 'utility']: result.job }));
  }

  const active = isActive(jobs.machine) ? jobs.machine : isActive(jobs.utility) ? jobs.utility : null;
  return (
    <div className="row">
      <button type="button" className="secondary" disabled={running} onClick={() => start('two-sample-test')}>
        Can a machine tell?
      </button>
      {canUtility ? (
        <button type="button" className="secondary" disabled={running} onClick={() => start('train-synthetic-test-real')}>
          Train on synthetic, test on real
        </button>
      ) : null}
      {active ? (
        <span className="muted small">
          <progress max={1} value={active.progress} /> {Math.round(active.progress * 100)} % {active.message ?? ''}
        </span>
      ) : null}
      {error ? <span className="error">{error}</span> : null}
    </div>
  );
}
