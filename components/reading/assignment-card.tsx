'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { loadPending } from './answer-queue';

type Props = { id: string; name: string; description: string | null; answered: number; total: number };

/**
 * One study on "My studies". Answers this browser still holds for the server (the reading room's
 * queue) count as read and are shown as pending, so the count never goes back after a reader moved on.
 */
export function AssignmentCard({ id, name, description, answered, total }: Props) {
  const [pending, setPending] = useState(0);
  useEffect(() => setPending(loadPending(id).filter((answer) => answer.position >= answered).length), [id, answered]);
  const read = Math.min(answered + pending, total);
  const isDone = answered >= total;
  return (
    <div className="card" data-testid="assignment">
      <h2>{name}</h2>
      {description ? <p className="muted">{description}</p> : null}
      <div className="progress" role="progressbar" aria-label="Images read" aria-valuemin={0} aria-valuemax={total} aria-valuenow={read}>
        <div style={{ width: `${Math.round((100 * read) / Math.max(total, 1))}%` }} />
      </div>
      <p className="muted">
        {read} of {total} images read
        {pending > 0 ? ` (${pending} pending: open the study to save ${pending === 1 ? 'it' : 'them'})` : ''}
      </p>
      {isDone ? (
        <p>Completed — thank you.</p>
      ) : (
        <Link className="button" href={`/read/${id}`}>
          {read === 0 ? 'Start reading' : 'Resume reading'}
        </Link>
      )}
    </div>
  );
}
