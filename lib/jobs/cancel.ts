import { getPrisma } from '@/lib/db/client';

/**
 * Cancelling: the row turns CANCELLED (a queued job is then never started; a running one stops at its next
 * check, e.g. between generation chunks, and stores nothing). Finished jobs are left as they are.
 */
export async function cancelJob(id: string): Promise<'cancelled' | 'finished' | 'missing'> {
  const prisma = getPrisma();
  const changed = await prisma.job.updateMany({
    where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
    data: { status: 'CANCELLED', finishedAt: new Date() },
  });
  if (changed.count) return 'cancelled';
  return (await prisma.job.findUnique({ where: { id }, select: { id: true } })) ? 'finished' : 'missing';
}

export async function isJobCancelled(id: string): Promise<boolean> {
  const row = await getPrisma().job.findUnique({ where: { id }, select: { status: true } });
  return !row || row.status === 'CANCELLED';
}
