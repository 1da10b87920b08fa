import { NextResponse } from 'next/server';
import { withRole } from '@/lib/http';
import { recentJobs } from '@/lib/jobs';

export const dynamic = 'force-dynamic';

export const GET = withRole(['ADMIN'], async () => NextResponse.json({ jobs: await recentJobs() }, { headers: { 'Cache-Control': 'no-store' } }));
