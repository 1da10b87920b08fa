import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { pngResponseHeaders, trainingSetPng } from '@/lib/pools/thumbnails';
import { NotFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ set: string; index: string }> };

/** One image of a registered training set, as PNG (the memorisation check's matches; admins only). */
export const GET = withRole<Context>(['ADMIN'], async (_request, { params }) => {
  const { set, index } = await params;
  const bytes = /^\d{1,7}$/.test(index) ? trainingSetPng(set, Number(index)) : null;
  if (!bytes) throw new NotFoundError('No such training image.');
  return new NextResponse(Buffer.from(bytes), { headers: pngResponseHeaders(bytes) });
});
