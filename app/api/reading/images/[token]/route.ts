import { withRole } from '@/lib/http';
import { servedImageHeaders } from '@/lib/images/served';
import { imageForToken } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ token: string }> };

/**
 * The served image behind an opaque token: one byte length per pool and the same headers for every
 * image, real or synthetic (lib/images/served.ts): no file name, no Last-Modified, no ETag, one cache policy.
 */
export const GET = withRole<Context>(['READER'], async (_request, { user, params }) => {
  const { token } = await params;
  const bytes = await imageForToken(token, user.id);
  return new Response(Buffer.from(bytes), {
    status: 200,
    headers: servedImageHeaders(bytes.length),
  });
});
