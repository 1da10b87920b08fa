import { jsonReply, readJson, withSessionClaims } from '@/lib/http';
import { ANSWER_BODY_MAX_BYTES, answerSchema, recordAnswer } from '@/lib/reading/store';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ assignmentId: string }> };

/**
 * Appends one answer (idempotent by key); 201 when stored, 200 when it was a retry of a stored one. The
 * session's user is checked by recordAnswer's own statement (one database round trip per answer).
 */
export const POST = withSessionClaims<Context>(['READER'], async (request, { session, params }) => {
  const { assignmentId } = await params;
  const result = await recordAnswer(assignmentId, session, answerSchema.parse(await readJson(request, ANSWER_BODY_MAX_BYTES)));
  return jsonReply(result, result.status === 'stored' ? 201 : 200);
});
