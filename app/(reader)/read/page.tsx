import { AssignmentCard } from '@/components/reading/assignment-card';
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
          {assignments.map((a) => (
            <AssignmentCard key={a.id} id={a.id} name={a.name} description={a.description} answered={a.answered} total={a.total} />
          ))}
        </div>
      )}
    </main>
  );
}
