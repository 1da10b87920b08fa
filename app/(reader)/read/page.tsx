import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guards';
import { readerAssignments } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

export default async function ReaderHome() {
  const me = await requirePageRole(['READER'], '/read');
  const assignments = await readerAssignments(me.id);
  return (
    <main className="page">
      <h1>My studies</h1>
      {assignments.length === 0 ? (
        <p className="notice">No study is assigned to you at the moment.</p>
      ) : (
        <div className="grid">
          {assignments.map((a) => {
            const isDone = a.answered >= a.total;
            return (
              <div className="card" key={a.id} data-testid="assignment">
                <h2>{a.name}</h2>
                {a.description ? <p className="muted">{a.description}</p> : null}
                <div className="progress" aria-label="progress">
                  <div style={{ width: `${Math.round((100 * a.answered) / Math.max(a.total, 1))}%` }} />
                </div>
                <p className="muted">
                  {a.answered} of {a.total} images read
                </p>
                {isDone ? (
                  <p>Completed — thank you.</p>
                ) : (
                  <Link className="button" href={`/read/${a.id}`}>
                    {a.answered === 0 ? 'Start reading' : 'Resume reading'}
                  </Link>
                )}
              </div>
            );
          })}
        </div>
      )}
    </main>
  );
}
