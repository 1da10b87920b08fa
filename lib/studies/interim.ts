import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { ConflictError, InvalidInputError, NotFoundError } from '@/lib/errors';
import {
  interimCounts,
  interimLookSizes,
  interimReport,
  type InterimDecision,
  type InterimDecisionKind,
  type InterimReport,
} from '@/lib/dashboard/interim';
import { loadStudyData } from '@/lib/dashboard/study-data';
import type { StudyData } from '@/lib/dashboard/types';
import { parseStudyConfig } from '.';
import { closeStudy } from './store';

/**
 * Interim looks against the database: the coordinator's decisions, kept in the audit log as
 * 'study.interim-decision' events, joined to the counts each look analyses (the first ⌈f·N⌉ scored first
 * answers in the order the server stored them, i.e. by response id), which come from the study's
 * columnar load. The statistics are in lib/dashboard/interim.ts.
 */
const DECISION_ACTION = 'study.interim-decision';

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

/** The interim report of an already loaded study (the dashboard and the exports pass their one load). */
export async function interimReportOf(data: StudyData): Promise<InterimReport> {
  const config = data.study.config;
  const plannedAnswers = config.imagesPerReader * data.readers.length;
  if (plannedAnswers < 1) return interimReport({ config, plannedAnswers, answered: 0, correctAt: [], decisions: [] });
  const { answered, correctAt } = interimCounts(data, interimLookSizes(config, plannedAnswers));
  return interimReport({ config, plannedAnswers, answered, correctAt, decisions: await decisionsOf(data.study.id) });
}

/** The interim report of a study, from one columnar load of its answers. */
export async function loadInterimReport(studyId: string): Promise<InterimReport> {
  return interimReportOf(await loadStudyData(studyId));
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
  const data = await loadStudyData(studyId);
  const report = await interimReportOf(data);
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
  // The answers are those just loaded; only the decisions changed.
  return interimReportOf(data);
}
