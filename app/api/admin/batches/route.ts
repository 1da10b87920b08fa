import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { recentBatches } from '@/lib/pools/batches';
import { handleBatchUpload } from '@/lib/uploads';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () => NextResponse.json({ batches: await recentBatches() }));

/** Multipart: file (a .zip), modality (CXR | CT_HEAD), origin (REAL | SYNTHETIC), newPool (optional: the confirmed or named new pool). 201, 409 { code: "NEW_POOL", newPool } when the batch would create a pool nobody confirmed, or 4xx { error, problems }. */
export const POST = withRole(['ADMIN'], async (request, { user }) => {
  const accepted = await handleBatchUpload(request, user.id);
  return NextResponse.json(accepted, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
