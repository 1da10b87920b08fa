import {
  assertEditable,
  assertTransition,
  buildSequence,
  parseStudyConfig,
  protocolHash,
  readerSeed,
  selectImages,
  selectionSeed,
  type CandidateImage,
  type StudyConfig,
} from '@/lib/studies';
import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { describeLeakAudit, type LeakAuditReport } from '@/lib/privacy/leak-audit';
import { auditPoolImages } from '@/lib/privacy/leak-audit/store';
import { assignRungs, decisiveAudit, prepareLadder } from './ladder-store';
import { newItemToken, newStudySecret } from './tokens';
import { ConflictError, InvalidInputError, NotFoundError, UnprocessableError } from '@/lib/errors';
import { assertChecked, STUDY_ELIGIBLE } from '@/lib/pools/eligibility';

/**
 * Study state changes against the database, in one place: create (DRAFT), edit a draft, open (leak
 * audit, then freeze the image set and configuration, record the protocol hash, build every
 * reader's sequence), close, reopen. The rules themselves (which transitions, what is hashed, how
 * orders are built, what the leak audit checks) live beside it (transitions.ts, config.ts,
 * select.ts, sequence.ts) and in lib/privacy.
 */
type Candidate = CandidateImage & { sha256: string; poolId: string };

/** Pools must exist; invited readers must be enabled READER accounts. */
async function checkPoolsAndReaders(poolIds: readonly string[], readerIds: readonly string[]): Promise<void> {
  const prisma = getPrisma();
  if (new Set(poolIds).size !== poolIds.length) throw new InvalidInputError('A pool is listed twice.');
  if (new Set(readerIds).size !== readerIds.length) throw new InvalidInputError('A reader is invited twice.');
  const pools = await prisma.pool.count({ where: { id: { in: [...poolIds] } } });
  if (pools !== poolIds.length) throw new InvalidInputError('One of the chosen pools does not exist.');
  const readers = await prisma.user.findMany({ where: { id: { in: [...readerIds] } }, select: { id: true, role: true, isDisabled: true, email: true } });
  if (readers.length !== readerIds.length) throw new InvalidInputError('One of the invited readers does not exist.');
  const wrong = readers.filter((r) => r.role !== 'READER' || r.isDisabled);
  if (wrong.length) throw new InvalidInputError(`Only enabled reader accounts can be invited: ${wrong.map((r) => r.email).join(', ')}.`);
}

export type DraftInput = {
  name: string;
  description?: string;
  config: unknown;
  poolIds: string[];
  readerIds: string[];
};

export async function createStudy(input: DraftInput & { createdById: string | null }) {
  const config = parseStudyConfig(input.config);
  const name = input.name.trim();
  if (!name) throw new InvalidInputError('Give the study a name.');
  await checkPoolsAndReaders(input.poolIds, input.readerIds);
  const prisma = getPrisma();
  const study = await prisma.study.create({
    data: {
      name,
      description: input.description ?? '',
      config,
      poolIds: input.poolIds,
      readerIds: input.readerIds,
      secret: newStudySecret(),
      createdById: input.createdById,
    },
  });
  await audit({ actorId: input.createdById, action: 'study.create', targetType: 'Study', targetId: study.id, after: { name: study.name, config, poolIds: input.poolIds, readerIds: input.readerIds } });
  return study;
}

/** Changes a draft (any of name, description, configuration, pools, readers); refused once the study has opened. */
export async function updateDraft(studyId: string, input: Partial<DraftInput>, actorId: string | null) {
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id: studyId } });
  if (!study) throw new NotFoundError('No such study.');
  assertEditable(study.status, input.poolIds !== undefined ? 'image set' : 'configuration');
  const next = {
    name: input.name !== undefined ? input.name.trim() : study.name,
    description: input.description ?? study.description,
    config: input.config !== undefined ? parseStudyConfig(input.config) : parseStudyConfig(study.config),
    poolIds: input.poolIds ?? study.poolIds,
    readerIds: input.readerIds ?? study.readerIds,
  };
  if (!next.name) throw new InvalidInputError('Give the study a name.');
  await checkPoolsAndReaders(next.poolIds, next.readerIds);
  // Only a draft is changed: the status is part of the WHERE, so a concurrent open wins cleanly.
  const updated = await prisma.study.updateMany({ where: { id: studyId, status: 'DRAFT' }, data: next });
  if (updated.count !== 1) throw new ConflictError('The study is no longer a draft; it cannot be edited.');
  const before = { name: study.name, description: study.description, config: study.config as object, poolIds: study.poolIds, readerIds: study.readerIds };
  await audit({ actorId, action: 'study.update', targetType: 'Study', targetId: studyId, before, after: next });
  return { id: studyId, ...next };
}

/** Runs the leak audit on a study's pools with its configured limit (for a draft's page, or before opening). */
export async function runLeakAudit(studyId: string, actorId: string | null): Promise<LeakAuditReport> {
  const study = await getPrisma().study.findUnique({ where: { id: studyId } });
  if (!study) throw new NotFoundError('No such study.');
  const config = parseStudyConfig(study.config);
  const report = await auditPoolImages(study.poolIds, { maxAuc: config.leakAudit?.maxAuc });
  await storeLeakAudit(studyId, report);
  await audit({ actorId, action: 'study.leak-audit', targetType: 'Study', targetId: studyId, after: { passed: report.passed, gatePassed: report.gatePassed, auc: report.auc, maxAuc: report.maxAuc } });
  return report;
}

/** Keeps the latest report with the study, for its page (a draft that failed shows why). */
async function storeLeakAudit(studyId: string, report: LeakAuditReport): Promise<void> {
  await getPrisma().study.update({ where: { id: studyId }, data: { leakAudit: report as unknown as object } });
}

/** The stored report, when the study has one. */
export function storedLeakAudit(study: { leakAudit: unknown }): LeakAuditReport | null {
  const report = study.leakAudit as LeakAuditReport | null;
  return report && Array.isArray(report.checks) ? report : null;
}

/** Eligible images of the study's pools (lib/pools/eligibility.ts): never quarantined, retired or unchecked ones. */
export async function candidateImages(poolIds: string[]): Promise<Candidate[]> {
  const images = await getPrisma().image.findMany({
    where: { poolId: { in: poolIds }, ...STUDY_ELIGIBLE },
    select: { id: true, poolId: true, origin: true, modality: true, labels: true, width: true, patientKey: true, sha256: true },
  });
  return images.map((i) => ({ id: i.id, poolId: i.poolId, origin: i.origin, modality: i.modality, labels: i.labels, resolution: i.width, patientKey: i.patientKey, sha256: i.sha256 }));
}

type Plan = {
  config: StudyConfig;
  scored: Candidate[];
  practice: Candidate[];
  perReader: Map<string, Candidate[]>;
};

/** Chooses scored and practice images from the pools, deterministically from the study secret. */
function planImages(config: StudyConfig, candidates: Candidate[], secret: string, readerIds: string[]): Plan {
  const perReader = new Map<string, Candidate[]>();
  let scored: Candidate[];
  if (config.sameImagesForAllReaders) {
    scored = selectImages({ candidates, config, seed: selectionSeed(secret) }).images;
    for (const readerId of readerIds) perReader.set(readerId, scored);
  } else {
    const union = new Map<string, Candidate>();
    for (const readerId of readerIds) {
      const mine = selectImages({ candidates, config, seed: selectionSeed(secret, readerId) }).images;
      perReader.set(readerId, mine);
      mine.forEach((i) => union.set(i.id, i));
    }
    scored = [...union.values()];
  }
  let practice: Candidate[] = [];
  if (config.practiceItems > 0) {
    const used = new Set(scored.map((i) => i.id));
    const remaining = candidates.filter((c) => !used.has(c.id));
    practice = selectImages({
      candidates: remaining,
      config: { imagesPerReader: config.practiceItems, syntheticFraction: config.syntheticFraction },
      seed: selectionSeed(secret, 'practice'),
    }).images;
  }
  return { config, scored, practice, perReader };
}

export async function openStudy(studyId: string, actorId: string | null) {
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id: studyId } });
  if (!study) throw new NotFoundError('No such study.');
  assertTransition(study.status, 'OPEN');
  if (study.status !== 'DRAFT') throw new ConflictError('Only a draft can be opened this way; reopen a closed study instead.');
  if (study.poolIds.length === 0) throw new InvalidInputError('Choose at least one image pool before opening the study.');
  if (study.readerIds.length === 0) throw new InvalidInputError('Invite at least one reader before opening the study.');
  const config = parseStudyConfig(study.config);
  // Synthetic images still being checked for memorisation: refused, not skipped (the frozen set must not depend on when a check ends).
  await assertChecked(study.poolIds);
  // A resolution ladder: rungs derived from the pools, each audited on its own (lib/studies/ladder.ts).
  const ladder = config.ladder ? await prepareLadder(study.poolIds, config, study.readerIds.length) : null;

  // Nothing is frozen unless the images cannot give the class away (ARCHITECTURE.md, invariant 1).
  // With a ladder, the rung that failed (or came closest to failing) stands for the study; every rung's result is summarised.
  const leakReport = ladder ? decisiveAudit(ladder).audit : await auditPoolImages(study.poolIds, { maxAuc: config.leakAudit?.maxAuc });
  await storeLeakAudit(studyId, leakReport);
  const leakSummary = {
    passed: leakReport.passed,
    gatePassed: leakReport.gatePassed,
    auc: leakReport.auc,
    maxAuc: leakReport.maxAuc,
    counts: leakReport.counts,
    checks: leakReport.checks.map((c) => ({ id: c.id, kind: c.kind, passed: c.passed, summary: c.summary })),
    ...(ladder && { rungs: ladder.rungs.map((r) => ({ size: r.size, passed: r.audit.passed, gatePassed: r.audit.gatePassed, auc: r.audit.auc })) }),
  };
  if (!leakReport.passed) {
    await audit({ actorId, action: 'study.open.refused', targetType: 'Study', targetId: studyId, before: { status: 'DRAFT' }, after: { status: 'DRAFT', leakAudit: leakSummary } });
    const rung = ladder ? ` at the ${decisiveAudit(ladder).size} px rung` : '';
    throw new UnprocessableError(`The leak audit refused to open the study${rung}.\n${describeLeakAudit(leakReport).join('\n')}`, { leakAudit: leakReport });
  }

  const candidates = await candidateImages(study.poolIds);
  let plan = planImages(config, candidates, study.secret, study.readerIds);
  if (ladder) {
    const rungCandidates = new Map((await candidateImages(ladder.rungs.flatMap((r) => r.poolIds))).map((c) => [c.id, c]));
    const { perReader, used } = assignRungs(plan.scored, study.readerIds, ladder, rungCandidates);
    plan = { ...plan, scored: used, perReader };
  }
  const hash = protocolHash(config, [...plan.scored, ...plan.practice].map((i) => ({ id: i.id, sha256: i.sha256 })));
  const sequences = study.readerIds.map((readerId) => {
    const seed = readerSeed(study.secret, readerId);
    return { readerId, ...buildSequence({ images: plan.perReader.get(readerId)!, practicePool: plan.practice, config, seed }) };
  });

  await prisma.$transaction(
    async (tx) => {
      const updated = await tx.study.updateMany({ where: { id: studyId, status: 'DRAFT' }, data: { status: 'OPEN', configHash: hash, openedAt: new Date() } });
      if (updated.count !== 1) throw new ConflictError('The study changed while it was being opened; try again.');
      await tx.studyImage.createMany({
        data: [
          ...plan.scored.map((i) => ({ studyId, imageId: i.id, phase: 'SCORED' as const })),
          ...plan.practice.map((i) => ({ studyId, imageId: i.id, phase: 'PRACTICE' as const })),
        ],
      });
      for (const sequence of sequences) {
        const assignment = await tx.assignment.create({ data: { studyId, readerId: sequence.readerId, seed: sequence.seed } });
        await tx.assignmentItem.createMany({
          data: sequence.items.map((item) => ({
            assignmentId: assignment.id,
            position: item.position,
            imageId: item.imageId,
            token: newItemToken(),
            phase: item.phase,
            block: item.block,
            isRepeat: item.isRepeat,
          })),
        });
      }
      await audit({ actorId, action: 'study.open', targetType: 'Study', targetId: studyId, before: { status: 'DRAFT' }, after: { status: 'OPEN', configHash: hash, readers: study.readerIds.length, leakAudit: leakSummary } }, tx);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { configHash: hash, scored: plan.scored.length, practice: plan.practice.length, readers: sequences.length, leakAudit: leakReport };
}

export async function closeStudy(studyId: string, actorId: string | null) {
  await getPrisma().$transaction(async (tx) => {
    // Every answer holds a share lock on its study's row until it commits (lib/reading/store.ts), and new share
    // locks join existing ones without waiting for an update that waits: under a steady stream of answers the
    // close could wait until the readers paused. A table lock is queued fairly instead: answers that arrive
    // after it wait the close's few milliseconds and then find the study closed. Plain reads go on meanwhile.
    await tx.$executeRaw`LOCK TABLE "Study" IN EXCLUSIVE MODE`;
    const study = await tx.study.findUnique({ where: { id: studyId } });
    if (!study) throw new NotFoundError('No such study.');
    assertTransition(study.status, 'CLOSED');
    await tx.study.update({ where: { id: studyId }, data: { status: 'CLOSED', closedAt: new Date() } });
    await audit({ actorId, action: 'study.close', targetType: 'Study', targetId: studyId, before: { status: study.status }, after: { status: 'CLOSED' } }, tx);
  });
}

export async function reopenStudy(studyId: string, actorId: string | null, reason: string) {
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id: studyId } });
  if (!study) throw new NotFoundError('No such study.');
  assertTransition(study.status, 'OPEN', { reason });
  await prisma.study.update({ where: { id: studyId }, data: { status: 'OPEN', closedAt: null } });
  await audit({ actorId, action: 'study.reopen', targetType: 'Study', targetId: studyId, before: { status: study.status }, after: { status: 'OPEN', reason } });
}
