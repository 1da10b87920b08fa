import { NextResponse } from 'next/server';
import { browserJobCheckpoint, leaseRange } from '@/lib/gan/browser-job';
import { withRole } from '@/lib/http';

export const dynamic = 'force-dynamic';

/**
 * A browser working on a browser generation job asks for its next latent range: 200 { kind: 'range', leaseToken,
 * start, end, items, expiresAt, seed, truncation, checkpoint } | { kind: 'wait', retryMs } | { kind: 'finished', status }.
 */
export const POST = withRole<{ params: Promise<{ id: string }> }>(['ADMIN'], async (_request, { params, user }) =>
  NextResponse.json(await leaseRange((await params).id, user.id), { headers: { 'Cache-Control': 'no-store' } }),
);

/** The job's checkpoint facts ({ checkpoint }), which a browser loads and warms up before its first lease. */
export const GET = withRole<{ params: Promise<{ id: string }> }>(['ADMIN'], async (_request, { params }) =>
  NextResponse.json({ checkpoint: await browserJobCheckpoint((await params).id) }, { headers: { 'Cache-Control': 'no-store' } }),
);
