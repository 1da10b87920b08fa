import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { imagePng, pngResponseHeaders } from '@/lib/pools/thumbnails';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** The canonical PNG from the image store (admins only); `?display=1` stretches 16-bit images for the eye. */
export const GET = withRole<Context>(['ADMIN'], async (request, { params }) => {
  const { id } = await params;
  const display = new URL(request.url).searchParams.get('display') === '1';
  const bytes = await imagePng(id, { display });
  if (!bytes) throw new NotFoundError('No such image.');
  return new NextResponse(Buffer.from(bytes), { headers: pngResponseHeaders(bytes) });
});
