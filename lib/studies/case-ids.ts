import { createHmac } from 'node:crypto';

/**
 * Opaque case ids for exports: "C" + hex of HMAC-SHA256(study secret, image id). Stable within a
 * study (every export and the dashboard agree), meaningless outside it, and no way back to the
 * image, its file or its batch without the server's secret.
 */
export function caseIds(studySecret: string, imageIds: readonly string[]): string[] {
  for (const length of [12, 24, 64]) {
    const ids = imageIds.map((id) => `C${createHmac('sha256', studySecret).update(`case:${id}`).digest('hex').slice(0, length)}`);
    if (new Set(ids).size === ids.length) return ids;
  }
  throw new Error('caseIds: duplicate image ids');
}
