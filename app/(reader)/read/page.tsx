import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

export default async function ReaderHome() {
  const me = await requirePageRole(['READER'], '/read');
  const assignments = await getPrisma().assignment.findMany({
    where: { readerId: me.id, study: { status: 'OPEN' } },
    select: {
      id: true,
      completedAt: true,
      study: { select: { name: true, description: true } },
      _count: { select: { items: true } },
    },
  });
  return (
    <main className="page">
      <h1>My studies</h1>
      {assignments.length === 0 ? (
        <p className="notice">No study is assigned to you at the moment.</p>
      ) : (
        <div className="grid">
          {assignments.map((a) => (
            <div className="card" key={a.id}>
              <h2>{a.study.name}</h2>
              <p className="muted">{a.study.description}</p>
              <p>{a.completedAt ? 'Completed' : `${a._count.items} images`}</p>
            </div>
          ))}
        </div>
      )}
    </main>
  );
}
