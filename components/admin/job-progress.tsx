'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

export type JobSummary = { id: string; title: string; status: string; progress: number; message: string | null; error: string | null; attempts: number };

const ACTIVE = new Set(['QUEUED', 'RUNNING']);

/** A job's status with a progress bar; polls the job every second while it is queued or running. */
export function JobProgress({ initial }: { initial: JobSummary }) {
  const router = useRouter();
  const [job, setJob] = useState(initial);

  useEffect(() => {
    if (!ACTIVE.has(job.status)) return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/admin/jobs/${job.id}`, { cache: 'no-store' });
        if (!response.ok) return;
        const { job: next } = (await response.json()) as { job: JobSummary };
        setJob(next);
        // The pools, counts and quarantine list change when a job finishes.
        if (!ACTIVE.has(next.status)) router.refresh();
      } catch {
        // network hiccup: the next tick tries again
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [job, router]);

  return (
    <div className="job" data-testid={`job-${job.id}`} data-status={job.status}>
      <span className={`badge ${job.status.toLowerCase()}`}>{job.title}: {job.status.toLowerCase()}</span>
      {ACTIVE.has(job.status) ? <progress max={1} value={job.status === 'RUNNING' ? job.progress : undefined} /> : null}
      <span className="muted small">
        {job.status === 'FAILED' ? job.error : job.message}
        {job.attempts > 1 ? ` (attempt ${job.attempts})` : ''}
      </span>
    </div>
  );
}
