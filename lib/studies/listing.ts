import { getPrisma } from '@/lib/db/client';
import { AWAITING_CHECK, STUDY_ELIGIBLE } from '@/lib/pools/eligibility';
import { visibleStudiesWhere, type StudyViewer } from './team';

/**
 * The coordinator's list of studies. An open or closed study counts its frozen images and its readers; a
 * draft has neither yet, so it says what stops it from being open: the leak audit's refusal (when nothing
 * was edited since), no pool, pools without eligible images, no reader, or images still being checked — else that nobody opened it yet.
 */
export type StudyListRow = {
  id: string;
  name: string;
  status: 'DRAFT' | 'OPEN' | 'CLOSED';
  configHash: string | null;
  /** Frozen images and readers with a sequence (open or closed studies). */
  images: number;
  readers: number;
  /** Drafts: readers invited so far, and why the study is still a draft. */
  invited: number;
  draftReason: string | null;
};

type LeakSummary = { passed?: boolean; auc?: number | null; maxAuc?: number; checks?: Array<{ passed: boolean; summary: string }> };

function refusalReason(leak: LeakSummary): string {
  const failed = (leak.checks ?? []).filter((c) => !c.passed).map((c) => c.summary.replace(/\.$/, ''));
  if (failed.length) return `the leak audit refused it: ${failed.join('; ')}`;
  if (typeof leak.auc === 'number' && typeof leak.maxAuc === 'number') {
    return `the leak audit refused it: a classifier tells the classes apart from file features (AUC ${leak.auc.toFixed(2)}, limit ${leak.maxAuc.toFixed(2)})`;
  }
  return 'the leak audit refused it';
}

/** Only the studies the viewer may see (their team's; an admin sees all). */
export async function studyList(viewer: StudyViewer): Promise<StudyListRow[]> {
  const prisma = getPrisma();
  const studies = await prisma.study.findMany({
    where: visibleStudiesWhere(viewer),
    select: { id: true, name: true, status: true, configHash: true, poolIds: true, readerIds: true, updatedAt: true, _count: { select: { assignments: true, images: true } } },
    orderBy: { createdAt: 'desc' },
  });
  const drafts = studies.filter((s) => s.status === 'DRAFT');
  const draftIds = drafts.map((s) => s.id);
  const poolIds = [...new Set(drafts.flatMap((s) => s.poolIds))];
  const [refusals, eligible, awaiting] = await Promise.all([
    draftIds.length
      ? prisma.auditEvent.findMany({
          where: { targetType: 'Study', targetId: { in: draftIds }, action: 'study.open.refused' },
          orderBy: { createdAt: 'desc' },
          select: { targetId: true, after: true, createdAt: true },
        })
      : [],
    poolIds.length
      ? prisma.image.groupBy({ by: ['poolId'], where: { poolId: { in: poolIds }, ...STUDY_ELIGIBLE }, _count: { _all: true } })
      : [],
    poolIds.length ? prisma.image.groupBy({ by: ['poolId'], where: { poolId: { in: poolIds }, ...AWAITING_CHECK }, _count: { _all: true } }) : [],
  ]);
  const eligibleIn = new Map(eligible.map((e) => [e.poolId, e._count._all]));
  const awaitingIn = new Map(awaiting.map((e) => [e.poolId, e._count._all]));
  return studies.map((s) => {
    let draftReason: string | null = null;
    if (s.status === 'DRAFT') {
      const refusal = refusals.find((r) => r.targetId === s.id);
      const leak = (refusal?.after as { leakAudit?: LeakSummary } | null)?.leakAudit;
      if (refusal && leak && refusal.createdAt >= s.updatedAt) draftReason = refusalReason(leak);
      else if (s.poolIds.length === 0) draftReason = 'no image pool chosen';
      else if (s.poolIds.every((id) => !eligibleIn.get(id))) draftReason = 'its pools hold no eligible images';
      else if (s.readerIds.length === 0) draftReason = 'no reader invited';
      else if (s.poolIds.some((id) => awaitingIn.get(id))) {
        draftReason = `${s.poolIds.reduce((n, id) => n + (awaitingIn.get(id) ?? 0), 0)} synthetic image(s) still being checked for memorisation`;
      }
      else draftReason = 'not opened yet';
    }
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      configHash: s.configHash,
      images: s._count.images,
      readers: s._count.assignments,
      invited: s.readerIds.length,
      draftReason,
    };
  });
}
