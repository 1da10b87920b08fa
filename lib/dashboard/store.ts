import { caseIds } from '@/lib/studies/case-ids';
import { computeDashboard, type DashboardStats } from './compute';
import { getPgPool } from '@/lib/db/pg';
import { loadStudyData } from './study-data';
import { NotFoundError } from '@/lib/errors';

/**
 * Dashboard statistics of a study, computed on the server from one columnar load (study-data.ts)
 * and kept per process while nothing changed: the cache key is the newest response id and the
 * response count in the database and the study's last update (cheap to read), so an idle
 * study's dashboard polls cost nothing and a busy one is recomputed at most once per change.
 * Concurrent requests for one study share one computation. The cache is only an optimisation: any
 * replica recomputes the same result from the database.
 */
type Entry = { version: string; stats: DashboardStats };
const cache = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Entry>>();
const MAX_CACHED_STUDIES = 20;

async function currentVersion(studyId: string): Promise<string> {
  // The count as well as the newest id: a transaction that commits after a newer one would
  // leave max(id) unchanged but not the count.
  const { rows } = await getPgPool().query<{ maxId: string | null; count: string; updatedAt: Date | null; status: string | null }>(
    `SELECT (SELECT max(id)::text FROM "Response") AS "maxId",
            (SELECT count(*)::text FROM "Response") AS count,
            (SELECT "updatedAt" FROM "Study" WHERE id = $1) AS "updatedAt",
            (SELECT status::text FROM "Study" WHERE id = $1) AS status`,
    [studyId],
  );
  const row = rows[0];
  if (!row.status) throw new NotFoundError('No such study.');
  return `${row.maxId}|${row.count}|${row.updatedAt?.toISOString()}|${row.status}`;
}

/** Loads and computes without the cache (for benchmarks and tests). */
export async function computeStudyDashboard(studyId: string): Promise<DashboardStats> {
  const data = await loadStudyData(studyId);
  const { rows } = await getPgPool().query<{ secret: string }>(`SELECT secret FROM "Study" WHERE id = $1`, [studyId]);
  const ids = caseIds(rows[0].secret, data.images.ids);
  return computeDashboard(data, (g) => ids[g]);
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
  };
}

/**
 * What the dashboard polls: a version that changes whenever an answer is stored anywhere or the
 * study changes (see currentVersion). Cheap at any size; the page re-renders when it moves.
 */
export async function studyProgress(studyId: string): Promise<{ version: string }> {
  return { version: await currentVersion(studyId) };
}
