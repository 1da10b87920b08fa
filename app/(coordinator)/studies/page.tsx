import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';
import { visibleStudiesWhere } from '@/lib/studies/team';

export const dynamic = 'force-dynamic';

export default async function StudiesPage() {
  const user = await requirePageRole(['COORDINATOR', 'ADMIN'], '/studies');
  const studies = await getPrisma().study.findMany({
    where: visibleStudiesWhere(user),
    select: { id: true, name: true, status: true, configHash: true, _count: { select: { assignments: true, images: true } } },
    orderBy: { createdAt: 'desc' },
  });
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
              <tr key={study.id} data-testid="study-row">
                <td>
                  <Link href={`/studies/${study.id}`}>{study.name}</Link>
                </td>
                <td>{study.status.toLowerCase()}</td>
                <td>{study._count.images}</td>
                <td>{study._count.assignments}</td>
                <td className="mono">{study.configHash ? `${study.configHash.slice(0, 12)}…` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
