import {
  assertTransition,
  buildSequence,
  parseStudyConfig,
  protocolHash,
  readerSeed,
  selectImages,
  selectionSeed,
  type CandidateImage,
  type StudyConfig,
} from '@/lib/study';
import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { HttpError } from '@/lib/http';
import { newItemToken, newStudySecret } from './tokens';

/**
 * Study state changes against the database, in one place: create (DRAFT), open (freeze the image set
 * and configuration, record the protocol hash, build every reader's sequence), close, reopen.
 * The rules themselves (which transitions, what is hashed, how orders are built) live in lib/study.
 */
type Candidate = CandidateImage & { sha256: string };

export async function createStudy(input: {
  name: string;
  description?: string;
  config: unknown;
  poolIds: string[];
  readerIds: string[];
  createdById: string | null;
}) {
  const config = parseStudyConfig(input.config);
  const prisma = getPrisma();
  const study = await prisma.study.create({
    data: {
      name: input.name,
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

/** Eligible images of the study's pools: never quarantined or retired ones. */
export async function candidateImages(poolIds: string[]): Promise<Candidate[]> {
  const images = await getPrisma().image.findMany({
    where: { poolId: { in: poolIds }, isQuarantined: false, isRetired: false },
    select: { id: true, origin: true, modality: true, labels: true, width: true, patientKey: true, sha256: true },
  });
  return images.map((i) => ({ id: i.id, origin: i.origin, modality: i.modality, labels: i.labels, resolution: i.width, patientKey: i.patientKey, sha256: i.sha256 }));
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
  if (!study) throw new HttpError(404, 'No such study.');
  assertTransition(study.status, 'OPEN');
  if (study.status !== 'DRAFT') throw new HttpError(409, 'Only a draft can be opened this way; reopen a closed study instead.');
  if (study.poolIds.length === 0) throw new HttpError(400, 'Choose at least one image pool before opening the study.');
  if (study.readerIds.length === 0) throw new HttpError(400, 'Invite at least one reader before opening the study.');
  const config = parseStudyConfig(study.config);
  const candidates = await candidateImages(study.poolIds);
  const plan = planImages(config, candidates, study.secret, study.readerIds);
  const hash = protocolHash(config, [...plan.scored, ...plan.practice].map((i) => ({ id: i.id, sha256: i.sha256 })));
  const sequences = study.readerIds.map((readerId) => {
    const seed = readerSeed(study.secret, readerId);
    return { readerId, ...buildSequence({ images: plan.perReader.get(readerId)!, practicePool: plan.practice, config, seed }) };
  });

  await prisma.$transaction(
    async (tx) => {
      const updated = await tx.study.updateMany({ where: { id: studyId, status: 'DRAFT' }, data: { status: 'OPEN', configHash: hash, openedAt: new Date() } });
      if (updated.count !== 1) throw new HttpError(409, 'The study changed while it was being opened; try again.');
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
      await audit({ actorId, action: 'study.open', targetType: 'Study', targetId: studyId, before: { status: 'DRAFT' }, after: { status: 'OPEN', configHash: hash, readers: study.readerIds.length } }, tx);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { configHash: hash, scored: plan.scored.length, practice: plan.practice.length, readers: sequences.length };
}

export async function closeStudy(studyId: string, actorId: string | null) {
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id: studyId } });
  if (!study) throw new HttpError(404, 'No such study.');
  assertTransition(study.status, 'CLOSED');
  await prisma.study.update({ where: { id: studyId }, data: { status: 'CLOSED', closedAt: new Date() } });
  await audit({ actorId, action: 'study.close', targetType: 'Study', targetId: studyId, before: { status: study.status }, after: { status: 'CLOSED' } });
}

export async function reopenStudy(studyId: string, actorId: string | null, reason: string) {
  const prisma = getPrisma();
  const study = await prisma.study.findUnique({ where: { id: studyId } });
  if (!study) throw new HttpError(404, 'No such study.');
  assertTransition(study.status, 'OPEN', { reason });
  await prisma.study.update({ where: { id: studyId }, data: { status: 'OPEN', closedAt: null } });
  await audit({ actorId, action: 'study.reopen', targetType: 'Study', targetId: studyId, before: { status: study.status }, after: { status: 'OPEN', reason } });
}
