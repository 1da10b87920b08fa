import { createHmac } from 'node:crypto';

/**
 * Opaque case ids for exports: "C" + hex of HMAC-SHA256(study secret, image id). Stable within a
 * study (every export and the dashboard agree), meaningless outside it, and no way back to the
 * image, its file or its batch without the server's secret.
 *
 * A study's images never change once it is open, and its dashboard is recomputed after each batch of new
 * answers: the last few studies' ids are kept (by secret, checked against the very same image ids), as
 * 20,000 HMACs take about a tenth of a second.
 */
export function caseIds(studySecret: string, imageIds: readonly string[]): string[] {
  const kept = recent.get(studySecret);
  if (kept && sameIds(kept.imageIds, imageIds)) return kept.ids.slice();
  const ids = computeCaseIds(studySecret, imageIds);
  if (recent.size >= KEPT_STUDIES) recent.delete(recent.keys().next().value!);
  recent.set(studySecret, { imageIds: imageIds.slice(), ids: ids.slice() });
  return ids;
}

const KEPT_STUDIES = 20;
const recent = new Map<string, { imageIds: readonly string[]; ids: string[] }>();

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function computeCaseIds(studySecret: string, imageIds: readonly string[]): string[] {
  for (const length of [12, 24, 64]) {
    const ids = imageIds.map((id) => `C${createHmac('sha256', studySecret).update(`case:${id}`).digest('hex').slice(0, length)}`);
    if (new Set(ids).size === ids.length) return ids;
  }
  throw new Error('caseIds: duplicate image ids');
}
