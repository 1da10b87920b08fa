import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guards';
import { studyList } from '@/lib/studies/listing';
import { plural } from '@/components/ui/plural';

export const dynamic = 'force-dynamic';

export default async function StudiesPage() {
  const user = await requirePageRole(['COORDINATOR', 'ADMIN'], '/studies');
  const studies = await studyList(user);
  return (
    <main className="page">
      <div className="row spread">
        <h1>Studies</h1>
        <Link className="button" href="/studies/new">
          New study
        </Link>
      </div>
      {studies.length === 0 ? (
        <p className="notice">No studies yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Study</th>
              <th>Status</th>
              <th>Images</th>
              <th>Readers</th>
              <th>Protocol hash</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((study) => (
              <tr key={study.id} data-testid="study-row" data-study-id={study.id}>
                <td>
                  <Link href={`/studies/${study.id}`}>{study.name}</Link>
                </td>
                <td data-testid="study-state">
                  {study.status.toLowerCase()}
                  {study.draftReason ? <div className="muted small">Not open: {study.draftReason}.</div> : null}
                </td>
                {study.status === 'DRAFT' ? (
                  <>
                    <td className="muted">chosen when it opens</td>
                    <td>{plural(study.invited, 'reader')} invited</td>
                  </>
                ) : (
                  <>
                    <td>{study.images}</td>
                    <td>{study.readers}</td>
                  </>
                )}
                <td className="mono">{study.configHash ? `${study.configHash.slice(0, 12)}…` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
