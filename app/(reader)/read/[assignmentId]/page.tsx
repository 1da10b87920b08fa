import { notFound } from 'next/navigation';
import { ReadingRoom } from '@/components/reading/reading-room';
import { requirePageRole } from '@/lib/auth/guards';
import { DomainError } from '@/lib/errors';
import { readerState } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

export default async function ReadingPage({ params }: { params: Promise<{ assignmentId: string }> }) {
  const { assignmentId } = await params;
  const me = await requirePageRole(['READER'], `/read/${assignmentId}`);
  const state = await readerState(assignmentId, me.id).catch((error) => {
    if (error instanceof DomainError) notFound();
    throw error;
  });
  return <ReadingRoom initialState={state} readerId={me.id} />;
}
