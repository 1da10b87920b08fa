import { notFound } from 'next/navigation';
import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';
import { STUDY_TEMPLATES, type StudyConfigInput } from '@/lib/studies';
import { dashboardStats, studyProgress } from '@/lib/dashboard/store';
import { wizardChoices } from '@/lib/studies/design';
import { storedLeakAudit } from '@/lib/studies/store';
import { latestTwoSampleJob, type MachineVerdict } from '@/lib/jobs/kinds/two-sample-test';
import { StudyDashboard } from '@/components/studies/study-dashboard';
import { StudyWizard } from '@/components/studies/study-wizard';
import { StudyTeamPanel } from '@/components/studies/study-team';
import { canSeeStudy, studyTeam } from '@/lib/studies/team';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

/** A draft opens in the wizard; an open or closed study shows its live dashboard. */
export default async function StudyPage({ params }: Props) {
  const { id } = await params;
  const user = await requirePageRole(['COORDINATOR', 'ADMIN'], `/studies/${id}`);
  const prisma = getPrisma();
  // Another team's study answers like a missing one.
  if (!(await canSeeStudy(id, user))) notFound();
  const study = await prisma.study.findUnique({ where: { id } });
  if (!study) notFound();
  const team = await studyTeam(id, user);
  if (study.status === 'DRAFT') {
    const { pools, readers } = await wizardChoices();
    return (
      <main className="page wide">
        <h1>{study.name}</h1>
        <p className="muted">Draft: every setting can still change. Opening runs the leak audit and then freezes the image set and configuration.</p>
        <StudyWizard
          storedAudit={storedLeakAudit(study)}
          pools={pools}
          readers={readers}
          templates={STUDY_TEMPLATES}
          initial={{ id: study.id, name: study.name, description: study.description, config: study.config as StudyConfigInput, poolIds: study.poolIds, readerIds: study.readerIds }}
        />
        <StudyTeamPanel studyId={study.id} initial={team} />
      </main>
    );
  }
  // The version first: an answer stored while the statistics are computed then triggers a refresh.
  const { version } = await studyProgress(id);
  const [stats, openEvent, machineJob, machineDone] = await Promise.all([
    dashboardStats(id),
    prisma.auditEvent.findFirst({ where: { targetType: 'Study', targetId: id, action: 'study.open' }, orderBy: { createdAt: 'desc' }, select: { after: true, createdAt: true } }),
    latestTwoSampleJob({ studyId: id }),
    latestTwoSampleJob({ studyId: id }, 'SUCCEEDED'),
  ]);
  const machine = {
    verdict: (machineDone?.result as MachineVerdict | null) ?? null,
    job: machineJob ? { status: machineJob.status, progress: machineJob.progress, message: machineJob.message, error: machineJob.error } : null,
  };
  const stored = storedLeakAudit(study);
  const leakAudit = stored
    ? { passed: stored.passed, auc: stored.auc, maxAuc: stored.maxAuc }
    : ((openEvent?.after as { leakAudit?: { passed: boolean; auc: number | null; maxAuc: number | null } } | null)?.leakAudit ?? null);
  return (
    <main className="page wide">
      <StudyDashboard stats={stats} leakAudit={leakAudit} version={version} machine={machine} />
      <StudyTeamPanel studyId={study.id} initial={team} />
    </main>
  );
}
