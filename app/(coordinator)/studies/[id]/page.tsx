import { notFound } from 'next/navigation';
import { requirePageRole } from '@/lib/auth/guards';
import { getPrisma } from '@/lib/db/client';
import { STUDY_TEMPLATES, type StudyConfigInput } from '@/lib/studies';
import { dashboardStats, studyProgress } from '@/lib/dashboard/store';
import { wizardChoices } from '@/lib/studies/design';
import { StudyDashboard } from '@/components/studies/study-dashboard';
import { StudyWizard } from '@/components/studies/study-wizard';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

/** A draft opens in the wizard; an open or closed study shows its live dashboard. */
export default async function StudyPage({ params }: Props) {
  const { id } = await params;
  await requirePageRole(['COORDINATOR', 'ADMIN'], `/studies/${id}`);
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id } });
  if (!study) notFound();
  if (study.status === 'DRAFT') {
    const { pools, readers } = await wizardChoices();
    return (
      <main className="page wide">
        <h1>{study.name}</h1>
        <p className="muted">Draft: every setting can still change. Opening runs the leak audit and then freezes the image set and configuration.</p>
        <StudyWizard
          pools={pools}
          readers={readers}
          templates={STUDY_TEMPLATES}
          initial={{ id: study.id, name: study.name, description: study.description, config: study.config as StudyConfigInput, poolIds: study.poolIds, readerIds: study.readerIds }}
        />
      </main>
    );
  }
  // The version first: an answer stored while the statistics are computed then triggers a refresh.
  const { version } = await studyProgress(id);
  const [stats, openEvent] = await Promise.all([
    dashboardStats(id),
    prisma.auditEvent.findFirst({ where: { targetType: 'Study', targetId: id, action: 'study.open' }, orderBy: { createdAt: 'desc' }, select: { after: true, createdAt: true } }),
  ]);
  const leakAudit = (openEvent?.after as { leakAudit?: { passed: boolean; auc: number | null; maxAuc: number } } | null)?.leakAudit ?? null;
  return (
    <main className="page wide">
      <StudyDashboard stats={stats} leakAudit={leakAudit} version={version} />
    </main>
  );
}
