import { withRole } from '@/lib/http';
import { imageForToken } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ token: string }> };

/**
 * The canonical image bytes behind an opaque token. Headers are the same for every image, real or
 * synthetic: no file name, no Last-Modified, no ETag, one cache policy.
 */
export const GET = withRole<Context>(['READER'], async (_request, { user, params }) => {
  const { token } = await params;
  const bytes = await imageForToken(token, user.id);
  return new Response(Buffer.from(bytes), {
    status: 200,
    headers: { 'Content-Type': 'image/png', 'Cache-Control': 'private, no-store', 'Content-Length': String(bytes.length) },
  });
});
