import type { SessionClaims } from '@/lib/auth/session-user';
import { confirmBriefing, recordAnswer } from '@/lib/reading/store';

/** A reader's session as lib/reading/store sees it once the cookie is decoded: a new account's version is 0. */
export function readerSession(userId: string, sessionVersion = 0): SessionClaims {
  return { userId, sessionVersion };
}

const briefed = new Set<string>();

/**
 * Answers through the store the way the reading room does: the study's briefing confirmed first (once per
 * assignment; the server refuses answers before it), then the answer.
 */
export async function answerAsReader(assignmentId: string, readerId: string, input: Parameters<typeof recordAnswer>[2]) {
  if (!briefed.has(`${assignmentId}:${readerId}`)) {
    await confirmBriefing(assignmentId, readerId);
    briefed.add(`${assignmentId}:${readerId}`);
  }
  return recordAnswer(assignmentId, readerSession(readerId), input);
}

/** Confirms the briefing over HTTP, as the reading room's "begin" button does; throws unless the server took it. */
export async function confirmBriefingOverHttp(base: string, assignmentId: string, cookie: string): Promise<void> {
  const response = await fetch(`${base}/api/reading/${assignmentId}/briefing`, { method: 'POST', headers: { cookie } });
  if (!response.ok) throw new Error(`confirming the briefing answered ${response.status} ${await response.text()}`);
}
