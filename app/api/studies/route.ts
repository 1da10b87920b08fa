import { NextResponse } from 'next/server';
import { getPrisma } from '@/lib/db/client';
import { withRole } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = withRole(['COORDINATOR', 'ADMIN'], async () => {
  const studies = await getPrisma().study.findMany({
    select: { id: true, name: true, status: true, configHash: true, createdAt: true, _count: { select: { assignments: true, images: true } } },
    orderBy: { createdAt: 'desc' },
  });
  return NextResponse.json({ studies });
});
