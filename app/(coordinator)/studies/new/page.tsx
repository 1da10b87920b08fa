import { requirePageRole } from '@/lib/auth/guards';
import { STUDY_TEMPLATES } from '@/lib/studies';
import { wizardChoices } from '@/lib/studies/design';
import { StudyWizard } from '@/components/studies/study-wizard';

export const dynamic = 'force-dynamic';

export default async function NewStudyPage() {
  await requirePageRole(['COORDINATOR', 'ADMIN'], '/studies/new');
  const { pools, readers } = await wizardChoices();
  return (
    <main className="page wide">
      <h1>New study</h1>
      <StudyWizard pools={pools} readers={readers} templates={STUDY_TEMPLATES} />
    </main>
  );
}
