import { NextResponse } from 'next/server';
import { readJson, withRole } from '@/lib/http';
import { previewDesign } from '@/lib/studies/design';
import { designPreviewSchema } from '@/lib/studies/schemas';

export const dynamic = 'force-dynamic';

/** Live counts and problems for the study wizard (nothing is stored). */
export const POST = withRole(['COORDINATOR', 'ADMIN'], async (request) => {
  const input = designPreviewSchema.parse(await readJson(request));
  return NextResponse.json(await previewDesign(input));
});
