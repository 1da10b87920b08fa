import { NextResponse } from 'next/server';
import { readJson, withRole } from '@/lib/http';
import { changeImage, deleteImage, imageActionSchema } from '@/lib/pools/images';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** { action: 'retire' | 'restore' | 'release' } (release: a quarantined image after review); audited. */
export const PATCH = withRole<Context>(['ADMIN'], async (request, { user, params }) => {
  const { id } = await params;
  const { action } = imageActionSchema.parse(await readJson(request));
  return NextResponse.json({ image: await changeImage(user.id, id, action) });
});

/** Only for images no study has used (409 otherwise: retire those). */
export const DELETE = withRole<Context>(['ADMIN'], async (_request, { user, params }) => {
  const { id } = await params;
  await deleteImage(user.id, id);
  return new NextResponse(null, { status: 204 });
});
