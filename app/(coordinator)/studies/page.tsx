import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

export default async function StudiesPage() {
  await requirePageRole(['COORDINATOR', 'ADMIN'], '/studies');
  const studies = await getPrisma().study.findMany({
    select: { id: true, name: true, status: true, _count: { select: { assignments: true, images: true } } },
    orderBy: { createdAt: 'desc' },
  });
  return (
    <main className="page">
      <h1>Studies</h1>
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
            </tr>
          </thead>
          <tbody>
            {studies.map((study) => (
              <tr key={study.id}>
                <td>{study.name}</td>
                <td>{study.status.toLowerCase()}</td>
                <td>{study._count.images}</td>
                <td>{study._count.assignments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
