import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { getPgPool } from '@/lib/db/pg';
import { ConflictError, InvalidInputError, NotFoundError } from '@/lib/errors';
import {
  interimLookSizes,
  interimReport,
  type InterimDecision,
  type InterimDecisionKind,
  type InterimReport,
} from '@/lib/dashboard/interim';
import { parseStudyConfig, type StudyConfig } from '.';
import { closeStudy } from './store';

/**
 * Interim looks against the database: the counts each look analyses (the first ⌈f·N⌉ scored first
 * answers in the order the server stored them, i.e. by response id) and the coordinator's decisions,
 * kept in the audit log as 'study.interim-decision' events. The statistics are in lib/dashboard/interim.ts.
 */
const DECISION_ACTION = 'study.interim-decision';

/** Answers analysed so far and the number correct among the first `sizes[k]` of them. */
async function countsInServerOrder(studyId: string, sizes: number[]): Promise<{ answered: number; correctAt: Array<number | null> }> {
  const { rows } = await getPgPool().query<{ answered: number; correct: number[] }>(
    `WITH s AS (
       SELECT row_number() OVER (ORDER BY r.id) AS pos, (r.call::text = im.origin::text) AS correct
         FROM "Response" r
         JOIN "AssignmentItem" i ON i.id = r."itemId"
         JOIN "Assignment" a ON a.id = i."assignmentId"
         JOIN "Image" im ON im.id = i."imageId"
        WHERE a."studyId" = $1 AND r.revision = 0 AND i.phase = 'SCORED' AND NOT i."isRepeat" AND r.call IS NOT NULL)
     SELECT (SELECT count(*) FROM s)::int AS answered,
            ARRAY(SELECT count(*) FILTER (WHERE s.correct)::int
                    FROM unnest($2::int[]) WITH ORDINALITY AS l(n, k) LEFT JOIN s ON s.pos <= l.n
                   GROUP BY l.k ORDER BY l.k) AS correct`,
    [studyId, sizes],
  );
  const { answered, correct } = rows[0];
  return { answered, correctAt: sizes.map((n, k) => (answered >= n ? correct[k] : null)) };
}

async function decisionsOf(studyId: string): Promise<InterimDecision[]> {
  const events = await getPrisma().auditEvent.findMany({
    where: { targetType: 'Study', targetId: studyId, action: DECISION_ACTION },
    orderBy: { id: 'asc' },
    select: { after: true, createdAt: true, actor: { select: { email: true } } },
  });
  return events.map((e) => {
    const after = e.after as { look: number; decision: InterimDecisionKind; note?: string };
    return { look: after.look, decision: after.decision, note: after.note ?? '', decidedAt: e.createdAt.toISOString(), actor: e.actor?.email ?? null };
  });
}

/** The interim report of a study (configuration passed in when the caller has it loaded). */
export async function loadInterimReport(studyId: string, config?: StudyConfig): Promise<InterimReport> {
  const pool = getPgPool();
  let cfg = config;
  if (!cfg) {
    const study = await pool.query<{ config: unknown }>(`SELECT config FROM "Study" WHERE id = $1`, [studyId]);
    if (study.rowCount === 0) throw new NotFoundError('No such study.');
    cfg = parseStudyConfig(study.rows[0].config);
  }
  const readers = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Assignment" WHERE "studyId" = $1`, [studyId]);
  const plannedAnswers = cfg.imagesPerReader * readers.rows[0].n;
  if (plannedAnswers < 1) return interimReport({ config: cfg, plannedAnswers, answered: 0, correctAt: [], decisions: [] });
  const sizes = interimLookSizes(cfg, plannedAnswers);
  const [{ answered, correctAt }, decisions] = await Promise.all([countsInServerOrder(studyId, sizes), decisionsOf(studyId)]);
  return interimReport({ config: cfg, plannedAnswers, answered, correctAt, decisions });
}

/**
 * Records the coordinator's decision at a reached look (continue or close), with the look's
 * statistics and boundaries, in the audit log; 'close' then closes the study (audited as usual).
 */
export async function recordInterimDecision(
  studyId: string,
  input: { look: unknown; decision: unknown; note?: unknown },
  actorId: string | null,
): Promise<InterimReport> {
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id: studyId }, select: { status: true, config: true } });
  if (!study) throw new NotFoundError('No such study.');
  if (study.status !== 'OPEN') throw new ConflictError('Decisions at interim looks are recorded while the study is open.');
  const config = parseStudyConfig(study.config);
  if (!config.interimLooks) throw new ConflictError('This study planned no interim looks.');
  const { look, decision, note = '' } = input;
  if (decision !== 'continue' && decision !== 'close') throw new InvalidInputError("decision must be 'continue' or 'close'.");
  if (typeof note !== 'string' || note.length > 2000) throw new InvalidInputError('note must be a text of at most 2000 characters.');
  const report = await loadInterimReport(studyId, config);
  const row = report.looks.find((l) => l.look === look);
  if (!row) throw new InvalidInputError(`look must be one of 1–${report.looks.length}.`);
  if (!row.result) throw new ConflictError(`Look ${row.look} is not reached yet (${report.answered} of ${row.size} answers).`);
  if (row.decision) throw new ConflictError(`A decision for look ${row.look} is already recorded (${row.decision.decision}).`);
  await audit({
    actorId,
    action: DECISION_ACTION,
    targetType: 'Study',
    targetId: studyId,
    after: {
      look: row.look,
      fraction: row.fraction,
      size: row.size,
      spending: report.spending,
      alpha: report.alpha,
      margin: report.margin,
      correct: row.result.correct,
      discrimination: row.result.discrimination,
      equivalence: row.result.equivalence ?? null,
      decision,
      note,
    },
  });
  // The dashboard cache keys on the study's update time.
  await prisma.study.update({ where: { id: studyId }, data: { updatedAt: new Date() } });
  if (decision === 'close') await closeStudy(studyId, actorId);
  return loadInterimReport(studyId, config);
}
