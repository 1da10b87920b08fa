import { caseIds } from '@/lib/studies/case-ids';
import { computeDashboardBeside, type DashboardStats } from './compute';
import { mrmcBeside } from './parallel-mrmc';
import { ladderSummary } from './ladder-summary';
import { getPgPool } from '@/lib/db/pg';
import { interimReportOf } from '@/lib/studies/interim';
import { loadStudyData } from './study-data';
import { NotFoundError } from '@/lib/errors';
import type { StudyData } from './types';

/**
 * Dashboard statistics of a study, computed on the server from one columnar load (study-data.ts)
 * and kept per process while nothing changed: the cache key is the study's answer counter (kept by
 * a database trigger as answers are stored, see the StudyAnswerCounter model) and the study's last
 * update and state, read by primary key in constant time whatever the size of the Response table,
 * so an idle study's dashboard polls cost nothing and a busy one is recomputed at most once per
 * change. Concurrent requests for one study share one computation. The cache is only an
 * optimisation: any replica recomputes the same result from the database.
 */
type Entry = { version: string; stats: DashboardStats };
const cache = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Entry>>();
const MAX_CACHED_STUDIES = 20;

async function currentVersion(studyId: string): Promise<string> {
  // The counter moves in each answer's own transaction, so an answer that commits after a newer one
  // still changes the version (a max(id) would not).
  const { rows } = await getPgPool().query<{ answers: string | null; updatedAt: Date; status: string }>(
    `SELECT s."updatedAt", s.status::text AS status,
            (SELECT sum(c.changes)::text FROM "StudyAnswerCounter" c WHERE c."studyId" = s.id) AS answers
       FROM "Study" s WHERE s.id = $1`,
    [studyId],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('No such study.');
  return `${row.answers ?? 0}|${row.updatedAt.toISOString()}|${row.status}`;
}

/** The statistics of an already loaded study (the exports pass their one load here). */
export async function statsOfStudyData(data: StudyData, secret: string): Promise<DashboardStats> {
  // The MRMC analyses start first, in a second thread where there is one, and are awaited last.
  const mrmc = mrmcBeside(data);
  // Awaited below; a failure before that must not leave its rejection unhandled.
  mrmc.catch(() => undefined);
  const ids = caseIds(secret, data.images.ids);
  const interim = await interimReportOf(data);
  const stats = await computeDashboardBeside(data, (g) => ids[g], new Date(), mrmc);
  const ladder = data.study.config.ladder ? ladderSummary(data, stats.summary, data.study.config.ladder.sizes) : undefined;
  return { ...stats, interim, ...(ladder && { ladder }) };
}

/** Loads and computes without the cache (for benchmarks and tests). */
export async function computeStudyDashboard(studyId: string): Promise<DashboardStats> {
  const data = await loadStudyData(studyId);
  const { rows } = await getPgPool().query<{ secret: string }>(`SELECT secret FROM "Study" WHERE id = $1`, [studyId]);
  return statsOfStudyData(data, rows[0].secret);
}

export async function dashboardStats(studyId: string): Promise<DashboardStats> {
  const version = await currentVersion(studyId);
  const cached = cache.get(studyId);
  if (cached && cached.version === version) return cached.stats;
  const key = `${studyId}@${version}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = computeStudyDashboard(studyId).then((stats) => ({ version, stats }));
    inFlight.set(key, pending);
    pending.finally(() => inFlight.delete(key)).catch(() => undefined);
  }
  const entry = await pending;
  if (cache.size >= MAX_CACHED_STUDIES && !cache.has(studyId)) cache.delete(cache.keys().next().value!);
  cache.set(studyId, entry);
  return entry.stats;
}

/** The statistics without anything that identifies a person or an image (for exports). */
export function exportableSummary(stats: DashboardStats) {
  return {
    study: { id: stats.study.id, name: stats.study.name, status: stats.study.status, openedAt: stats.study.openedAt, closedAt: stats.study.closedAt },
    generatedAt: stats.generatedAt,
    progress: {
      assigned: stats.progress.assigned,
      done: stats.progress.done,
      readers: stats.progress.readers.map(({ name: _name, email: _email, ...rest }) => rest),
    },
    summary: stats.summary,
    confusion: stats.confusion,
    roc: stats.roc,
    foolRate: stats.foolRate.map(({ imageId: _imageId, ...rest }) => rest),
    mrmc: stats.mrmc,
    guidance: stats.guidance,
    ladder: stats.ladder,
    interim: stats.interim && {
      ...stats.interim,
      looks: stats.interim.looks.map((l) => ({ ...l, decision: l.decision && { ...l.decision, actor: undefined } })),
    },
  };
}

/**
 * What the dashboard polls: a version that changes whenever an answer of this study is stored or
 * the study changes (see currentVersion). Constant-time at any size; the page re-renders when it moves.
 */
export async function studyProgress(studyId: string): Promise<{ version: string }> {
  return { version: await currentVersion(studyId) };
}
