import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { poolSummaries } from '@/lib/pools/summary';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () => NextResponse.json({ pools: await poolSummaries() }));
