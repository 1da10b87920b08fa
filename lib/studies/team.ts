import { z } from 'zod';
import type { Prisma } from '@/lib/generated/prisma/client';
import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '@/lib/errors';

/**
 * Studies belong to a team: the owner (the coordinator who created the study) and the coordinators the
 * owner or an admin added. Admins see every study; any other coordinator gets "no such study" (404), the
 * same answer as for a study that does not exist, so probing learns nothing.
 */
export type StudyViewer = { id: string; role: 'READER' | 'COORDINATOR' | 'ADMIN' };

export const NO_SUCH_STUDY = 'No such study.';

/** The studies a user may see, as a Prisma filter. */
export function visibleStudiesWhere(viewer: StudyViewer): Prisma.StudyWhereInput {
  if (viewer.role === 'ADMIN') return {};
  if (viewer.role !== 'COORDINATOR') return { id: { in: [] } };
  return { OR: [{ createdById: viewer.id }, { team: { some: { userId: viewer.id } } }] };
}

export async function canSeeStudy(studyId: string, viewer: StudyViewer): Promise<boolean> {
  return (await getPrisma().study.count({ where: { AND: [{ id: studyId }, visibleStudiesWhere(viewer)] } })) === 1;
}

/** For every study page and route: 404 unless the viewer is an admin, the owner or on the team. */
export async function assertStudyAccess(studyId: string, viewer: StudyViewer): Promise<void> {
  if (!(await canSeeStudy(studyId, viewer))) throw new NotFoundError(NO_SUCH_STUDY);
}

export type StudyTeam = {
  owner: { id: string; name: string; email: string } | null;
  members: Array<{ id: string; name: string; email: string; addedAt: string }>;
  /** Whether the viewer may add and remove members (the owner or an admin). */
  canManage: boolean;
};

export async function studyTeam(studyId: string, viewer: StudyViewer): Promise<StudyTeam> {
  await assertStudyAccess(studyId, viewer);
  const study = await getPrisma().study.findUniqueOrThrow({
    where: { id: studyId },
    select: {
      createdBy: { select: { id: true, name: true, email: true } },
      team: { select: { createdAt: true, user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: 'asc' } },
    },
  });
  return {
    owner: study.createdBy,
    members: study.team.map((m) => ({ ...m.user, addedAt: m.createdAt.toISOString() })),
    canManage: viewer.role === 'ADMIN' || study.createdBy?.id === viewer.id,
  };
}

async function assertManages(studyId: string, viewer: StudyViewer): Promise<void> {
  await assertStudyAccess(studyId, viewer);
  if (viewer.role === 'ADMIN') return;
  const study = await getPrisma().study.findUniqueOrThrow({ where: { id: studyId }, select: { createdById: true } });
  if (study.createdById !== viewer.id) throw new ForbiddenError("Only the study's owner or an admin changes its team.");
}

export const teamChangeSchema = z.object({ email: z.string().trim().toLowerCase().email().max(200) });

export async function addTeamMember(studyId: string, input: z.infer<typeof teamChangeSchema>, viewer: StudyViewer): Promise<StudyTeam> {
  await assertManages(studyId, viewer);
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true, role: true, isDisabled: true } });
  if (!user || user.role !== 'COORDINATOR' || user.isDisabled) {
    throw new UnprocessableError(`${input.email} is not an active coordinator account; only coordinators join a study's team.`);
  }
  const study = await prisma.study.findUniqueOrThrow({ where: { id: studyId }, select: { createdById: true } });
  if (study.createdById === user.id) throw new ConflictError(`${input.email} owns this study already.`);
  await prisma.studyTeamMember.upsert({ where: { studyId_userId: { studyId, userId: user.id } }, create: { studyId, userId: user.id }, update: {} });
  await audit({ actorId: viewer.id, action: 'study.team.add', targetType: 'Study', targetId: studyId, after: { userId: user.id } });
  return studyTeam(studyId, viewer);
}

export async function removeTeamMember(studyId: string, input: z.infer<typeof teamChangeSchema>, viewer: StudyViewer): Promise<StudyTeam> {
  await assertManages(studyId, viewer);
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const removed = user ? await prisma.studyTeamMember.deleteMany({ where: { studyId, userId: user.id } }) : { count: 0 };
  if (removed.count === 0) throw new NotFoundError(`${input.email} is not on this study's team.`);
  await audit({ actorId: viewer.id, action: 'study.team.remove', targetType: 'Study', targetId: studyId, before: { userId: user!.id } });
  return studyTeam(studyId, viewer);
}
