import { withStudyRole } from '@/lib/http';
import { studyImageBytes } from '@/lib/studies/images';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; imageId: string }> };

/** An image of a study, for coordinators and admins looking at the fool-rate table. */
export const GET = withStudyRole<Context>(async (_request, { params }) => {
  const { id, imageId } = await params;
  const bytes = await studyImageBytes(id, imageId);
  return new Response(Buffer.from(bytes), { status: 200, headers: { 'Content-Type': 'image/png', 'Cache-Control': 'private, no-store' } });
});
