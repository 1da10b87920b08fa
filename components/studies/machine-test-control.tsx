'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

type JobState = { status: string; progress: number; message: string | null; error: string | null } | null;

/** Starts "Can a machine tell?" for a study and follows its job; refreshes the page when it ends. */
export function MachineTestControl({ studyId, initial }: { studyId: string; initial: JobState }) {
  const router = useRouter();
  const [job, setJob] = useState<JobState>(initial);
  const [error, setError] = useState<string | null>(null);
  const isActive = job?.status === 'QUEUED' || job?.status === 'RUNNING';

  useEffect(() => {
    if (!isActive) return;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/studies/${studyId}/machine-test`).catch(() => null);
      if (!response?.ok) return;
      const next = (await response.json()).job as JobState;
      setJob(next);
      if (next && next.status !== 'QUEUED' && next.status !== 'RUNNING') router.refresh();
    }, 2000);
    return () => clearInterval(timer);
  }, [isActive, studyId, router]);

  async function start() {
    setError(null);
    const response = await fetch(`/api/studies/${studyId}/machine-test`, { method: 'POST' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) setError(body.error ?? 'Could not start the test.');
    else setJob(body.job);
  }

  return (
    <div className="row" data-testid="machine-test-control">
      <button type="button" className="secondary" disabled={isActive} onClick={start}>
        {isActive ? 'Training…' : 'Run machine test'}
      </button>
      {isActive ? (
        <span className="muted small" data-testid="machine-test-progress">
          <progress max={1} value={job?.progress ?? 0} /> {Math.round((job?.progress ?? 0) * 100)} % {job?.message ?? ''}
        </span>
      ) : null}
      {job?.status === 'FAILED' ? <span className="error">{job.error}</span> : null}
      {error ? <span className="error">{error}</span> : null}
    </div>
  );
}
