import { withStudyRole } from '@/lib/http';
import { exportDownload, type ExportFormat } from '@/lib/exports/store';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; format: string }> };

const FORMATS: readonly ExportFormat[] = ['csv', 'json', 'imrmc', 'mrmcaov', 'bundle'];

/** Downloads: csv (tidy answers, streamed), json (summary), imrmc, mrmcaov, bundle (zip of all with a README). */
export const GET = withStudyRole<Context>(async (_request, { user, params }) => {
  const { id, format } = await params;
  if (!FORMATS.includes(format as ExportFormat)) throw new NotFoundError(`Unknown export "${format}"; use one of ${FORMATS.join(', ')}.`);
  const file = await exportDownload(id, format as ExportFormat, user.id);
  return new Response(file.body, {
    status: 200,
    headers: {
      'Content-Type': file.type,
      'Content-Disposition': `attachment; filename="${file.name}"`,
      'Cache-Control': 'no-store',
      'X-Protocol-Hash': file.hash ?? '',
    },
  });
});
