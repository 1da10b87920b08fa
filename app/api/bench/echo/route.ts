import { getConfig } from '@/lib/config';
import { errorResponse, jsonError, jsonReply, readJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

/**
 * The reading benchmark's baseline: this app's own cost for a bare route (read a JSON body, answer
 * 201), no session and no database. It exists only while BENCH_ROUTES=1 (`npm run bench -- reading`
 * sets it on the server it starts); otherwise it answers 404 like any unknown path.
 */
export async function POST(request: Request) {
  if (!getConfig().BENCH_ROUTES) return jsonError(404, 'Not found.');
  try {
    const body = await readJson(request);
    return jsonReply({ ok: body !== null }, 201);
  } catch (error) {
    return errorResponse(error);
  }
}
