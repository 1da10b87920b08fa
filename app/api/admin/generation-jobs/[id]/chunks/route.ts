import { NextResponse } from 'next/server';
import { z } from 'zod';
import { submitChunk } from '@/lib/gan/browser-chunks';
import { readJson, withRole } from '@/lib/http';

export const dynamic = 'force-dynamic';

const chunkSchema = z.object({
  leaseToken: z.string().min(1).max(200),
  backend: z.string().regex(/^[a-z0-9-]{1,32}$/, 'a TensorFlow.js backend name'),
  images: z.array(z.object({ index: z.number().int().min(0), pixels: z.string().max(2 ** 22) })).min(1).max(1024),
});

/**
 * A browser's chunk: { leaseToken, backend, images: [{ index, pixels: base64 of resolution² 8-bit grey }] } →
 * 200 { accepted, checked, maxDelta, meanDelta, jobStatus, progress } | 409 range no longer held | 422 refused (the job failed).
 */
export const POST = withRole<{ params: Promise<{ id: string }> }>(['ADMIN'], async (request, { params }) => {
  const body = chunkSchema.parse(await readJson(request));
  const images = body.images.map((image) => ({ index: image.index, pixels: new Uint8Array(Buffer.from(image.pixels, 'base64')) }));
  return NextResponse.json(await submitChunk((await params).id, { leaseToken: body.leaseToken, backend: body.backend, images }), { headers: { 'Cache-Control': 'no-store' } });
});
