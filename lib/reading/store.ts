import { z } from 'zod';
import { briefingText, parseStudyConfig } from '@/lib/studies';
import { checkedUser, sessionRefusal, type SessionClaims } from '@/lib/auth/session-user';
import { getPrisma } from '@/lib/db/client';
import { getPgPool } from '@/lib/db/pg';
import { PgImageStore } from '@/lib/db/image-store';
import { servedPngFromCanonical } from '@/lib/images/served';
import { ConflictError, InvalidInputError, NotFoundError } from '@/lib/errors';

/**
 * The reader's side of a study. What leaves this module for the browser is deliberately small:
 * opaque item tokens, positions in the reader's own sequence, phases, progress, and — only for
 * practice items, after answering — the truth. Never image ids, origins, batches or file names.
 */

/** How many upcoming items the browser may prefetch (and answer offline, queued). */
export const PREFETCH_WINDOW = 24;

/** Display facts come from the pool, so they are identical for real and synthetic images of it. */
export type ReaderItem = {
  token: string;
  position: number;
  phase: 'PRACTICE' | 'SCORED';
  modality: 'CXR' | 'CT_HEAD';
  bitDepth: number;
  /** 16-bit CT pools: stored value − huOffset = Hounsfield units. */
  huOffset: number | null;
};
export type ReaderState = {
  assignmentId: string;
  studyName: string;
  confidenceScale: { min: number; max: number };
  total: number;
  practiceTotal: number;
  answered: number;
  isComplete: boolean;
  /** The study's briefing, and whether this reader confirmed it (once per study, before the first image). */
  briefing: string;
  isBriefed: boolean;
  /** The current item first, then the next ones to prefetch. */
  items: ReaderItem[];
};

/** Parsed configurations of open studies. Safe to keep per process: a study's configuration is frozen once it opens. */
const frozenConfigs = new Map<string, ReturnType<typeof parseStudyConfig>>();
function frozenConfig(studyId: string, raw: unknown) {
  let config = frozenConfigs.get(studyId);
  if (!config) {
    config = parseStudyConfig(raw);
    if (frozenConfigs.size > 1000) frozenConfigs.clear();
    frozenConfigs.set(studyId, config);
  }
  return config;
}

async function ownedAssignment(assignmentId: string, readerId: string) {
  const assignment = await getPrisma().assignment.findUnique({
    where: { id: assignmentId },
    select: { id: true, readerId: true, completedAt: true, briefedAt: true, study: { select: { id: true, name: true, status: true, config: true } } },
  });
  // Someone else's assignment answers exactly like a missing one: nothing to learn by probing.
  if (!assignment || assignment.readerId !== readerId) throw new NotFoundError('No such reading session.');
  if (assignment.study.status !== 'OPEN') throw new ConflictError('This study is not open for reading.');
  return assignment;
}

async function answeredCount(assignmentId: string): Promise<number> {
  const rows = await getPrisma().$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId"
    WHERE i."assignmentId" = ${assignmentId} AND r.revision = 0`;
  return Number(rows[0].n);
}

/** Where the reader stands: progress and the next items' tokens. */
export async function readerState(assignmentId: string, readerId: string): Promise<ReaderState> {
  const assignment = await ownedAssignment(assignmentId, readerId);
  return stateAfter(assignment, await answeredCount(assignmentId));
}

async function stateAfter(
  assignment: { id: string; briefedAt: Date | null; study: { id: string; name: string; config: unknown } },
  answered: number,
): Promise<ReaderState> {
  const prisma = getPrisma();
  const config = frozenConfig(assignment.study.id, assignment.study.config);
  const [total, practiceTotal, upcoming] = await Promise.all([
    prisma.assignmentItem.count({ where: { assignmentId: assignment.id } }),
    prisma.assignmentItem.count({ where: { assignmentId: assignment.id, phase: 'PRACTICE' } }),
    prisma.assignmentItem.findMany({
      where: { assignmentId: assignment.id, position: { gte: answered } },
      orderBy: { position: 'asc' },
      take: PREFETCH_WINDOW,
      select: {
        id: true,
        token: true,
        position: true,
        phase: true,
        image: { select: { pool: { select: { modality: true, bitDepth: true, huOffset: true } } } },
      },
    }),
  ]);
  const isComplete = answered >= total;
  if (isComplete) await prisma.assignment.updateMany({ where: { id: assignment.id, completedAt: null }, data: { completedAt: new Date() } });
  return {
    assignmentId: assignment.id,
    studyName: assignment.study.name,
    confidenceScale: config.confidenceScale,
    total,
    practiceTotal,
    answered,
    isComplete,
    briefing: briefingText(config),
    isBriefed: assignment.briefedAt !== null,
    items: upcoming.map((i) => ({
      token: i.token,
      position: i.position,
      phase: i.phase,
      modality: i.image.pool.modality,
      bitDepth: i.image.pool.bitDepth,
      huOffset: i.image.pool.huOffset,
    })),
  };
}

const count = z.number().int().min(0).max(100_000);

/** What the reading room records while an image is viewed (components/reading); bounded, nothing else. */
export const telemetrySchema = z
  .object({
    windowLevel: count,
    presets: z.array(z.string().max(40)).max(100),
    zoom: count,
    pan: count,
    invert: count,
    reset: count,
    fit: count,
    blur: count,
    fullscreen: count,
    idleGapsMs: z.array(z.number().int().min(0).max(86_400_000)).max(200),
  })
  .partial()
  .strict();

export const answerSchema = z.object({
  token: z.string().min(10).max(64),
  position: z.number().int().min(0),
  call: z.enum(['REAL', 'SYNTHETIC']),
  confidence: z.number().int().min(-1000).max(1000),
  clientMs: z.number().int().min(0).max(86_400_000).nullable().optional(),
  idempotencyKey: z.string().min(8).max(100),
  telemetry: telemetrySchema.optional(),
});

/** An answer with its telemetry is well under 2 kB; more is refused (413) before it is parsed. */
export const ANSWER_BODY_MAX_BYTES = 8 * 1024;

export type AnswerResult = {
  status: 'stored' | 'duplicate';
  idempotencyKey: string;
  /** Answers stored so far in this reading session (the next position to answer). */
  answered: number;
  isComplete: boolean;
  /** Practice items only: the truth, so the reader can calibrate. Scored items never carry it. */
  feedback?: { truth: 'REAL' | 'SYNTHETIC'; isCorrect: boolean };
};

/**
 * Facts of an assignment that are frozen once its study has opened (its items are created when the study
 * opens; the configuration is frozen then): kept per process, so that the answer path needs no lookup
 * before its one statement. A draft's assignment is never kept.
 */
type AnswerFrame = { studyId: string; confidenceScale: { min: number; max: number }; total: number };
const answerFrames = new Map<string, AnswerFrame>();

async function answerFrame(assignmentId: string): Promise<AnswerFrame | null> {
  const known = answerFrames.get(assignmentId);
  if (known) return known;
  const assignment = await getPrisma().assignment.findUnique({
    where: { id: assignmentId },
    select: { study: { select: { id: true, status: true, config: true } }, _count: { select: { items: true } } },
  });
  if (!assignment) return null;
  const frame = { studyId: assignment.study.id, confidenceScale: frozenConfig(assignment.study.id, assignment.study.config).confidenceScale, total: assignment._count.items };
  if (assignment.study.status !== 'DRAFT') {
    if (answerFrames.size > 100_000) answerFrames.clear();
    answerFrames.set(assignmentId, frame);
  }
  return frame;
}

/**
 * Every rule of an answer, checked and applied in one statement (prepared once per connection): the
 * session's user (exists, not disabled, the session's version — a password change or a sign-out ends the
 * session —, a reader, no temporary password: the same checks as lib/auth/session-user.ts), the
 * assignment's owner, the item being the reader's current one (this token at this position, and the one
 * before it answered), the briefing confirmed, the study open. Unique keys (idempotencyKey; item +
 * revision) stop duplicates. The last answer marks the assignment complete in the same statement.
 * $1 user · $2 session version · $3 token · $4 assignment · $5 position · $6 call · $7 confidence ·
 * $8 clientMs · $9 idempotency key · $10 telemetry · $11 study · $12 is this the last position.
 */
const RECORD_ANSWER_SQL = `
WITH reader AS (
  SELECT u.id FROM "User" u
   WHERE u.id = $1::text AND NOT u."isDisabled" AND u."sessionVersion" = $2::int
     AND u.role = 'READER' AND NOT u."mustChangePassword"
), item AS (
  SELECT i.id, i.phase, i."firstServedAt", img.origin
    FROM "AssignmentItem" i
    JOIN "Assignment" a ON a.id = i."assignmentId"
    JOIN "Image" img ON img.id = i."imageId"
   WHERE i.token = $3::text AND i."assignmentId" = $4::text AND i.position = $5::int
     AND a."readerId" = (SELECT id FROM reader) AND a."briefedAt" IS NOT NULL
), stored AS (
  INSERT INTO "Response" ("itemId", revision, call, confidence, "clientMs", "serverMs", "idempotencyKey", telemetry)
  SELECT item.id, 0, $6::"Call", $7::int, $8::int,
         -- Timestamps are stored as UTC without a zone (Prisma's convention).
         (extract(epoch FROM (clock_timestamp() AT TIME ZONE 'UTC') - item."firstServedAt") * 1000)::int,
         $9::text, $10::jsonb
    FROM item
   WHERE ($5::int = 0 OR EXISTS (
           SELECT 1 FROM "AssignmentItem" p JOIN "Response" r ON r."itemId" = p.id AND r.revision = 0
            WHERE p."assignmentId" = $4::text AND p.position = $5::int - 1))
     -- The study is open when the row is written: the share lock makes a concurrent close wait for this
     -- insert, or this insert wait for the close and then see it (no answer lands after a close commits).
     AND EXISTS (SELECT 1 FROM "Study" s WHERE s.id = $11::text AND s.status = 'OPEN' FOR SHARE)
  ON CONFLICT DO NOTHING
  RETURNING id
), completed AS (
  UPDATE "Assignment" SET "completedAt" = now() AT TIME ZONE 'UTC'
   WHERE id = $4::text AND "completedAt" IS NULL AND $12::boolean AND EXISTS (SELECT 1 FROM stored)
)
SELECT EXISTS (SELECT 1 FROM stored) AS "isStored", item.phase, item.origin
  FROM (SELECT 1) AS one LEFT JOIN item ON true`;

/**
 * Appends an answer exactly once: one statement (above) checks every rule and inserts. Only when it
 * stores nothing does answerNotStored find out why, or recognise a retry under a known key, which gets
 * the original acknowledgement back. The browser asks for more items itself.
 */
export async function recordAnswer(assignmentId: string, session: SessionClaims, input: z.infer<typeof answerSchema>): Promise<AnswerResult> {
  const frame = await answerFrame(assignmentId);
  if (frame && input.confidence >= frame.confidenceScale.min && input.confidence <= frame.confidenceScale.max) {
    const isLast = input.position + 1 >= frame.total;
    const { rows } = await getPgPool().query<{ isStored: boolean; phase: 'PRACTICE' | 'SCORED' | null; origin: 'REAL' | 'SYNTHETIC' | null }>({
      name: 'record-answer',
      text: RECORD_ANSWER_SQL,
      values: [
        session.userId,
        session.sessionVersion ?? -1,
        input.token,
        assignmentId,
        input.position,
        input.call,
        input.confidence,
        input.clientMs ?? null,
        input.idempotencyKey,
        JSON.stringify(input.telemetry ?? {}),
        frame.studyId,
        isLast,
      ],
    });
    const [row] = rows;
    if (row.isStored) {
      const result: AnswerResult = { status: 'stored', idempotencyKey: input.idempotencyKey, answered: input.position + 1, isComplete: isLast };
      if (row.phase === 'PRACTICE' && row.origin) result.feedback = { truth: row.origin, isCorrect: row.origin === input.call };
      return result;
    }
  }
  return answerNotStored(assignmentId, session, input);
}

/** Why an answer was not stored, as the error the reader sees, checked in withRole's order; or the acknowledgement of a retry. */
async function answerNotStored(assignmentId: string, session: SessionClaims, input: z.infer<typeof answerSchema>): Promise<AnswerResult> {
  const refusal = sessionRefusal(await checkedUser(session), ['READER']);
  if (refusal) throw refusal;
  const prisma = getPrisma();
  const item = await prisma.assignmentItem.findUnique({
    where: { token: input.token },
    select: {
      id: true,
      position: true,
      phase: true,
      image: { select: { origin: true } },
      assignment: {
        select: { id: true, readerId: true, briefedAt: true, _count: { select: { items: true } }, study: { select: { id: true, name: true, status: true, config: true } } },
      },
    },
  });
  // Someone else's item answers exactly like a missing one.
  if (!item || item.assignment.id !== assignmentId || item.assignment.readerId !== session.userId || item.position !== input.position) {
    throw new NotFoundError('This image is not part of your reading session.');
  }
  const { study } = item.assignment;
  if (study.status !== 'OPEN') throw new ConflictError('This study is not open for reading.');
  if (!item.assignment.briefedAt) {
    throw new ConflictError("Confirm the study's briefing first: the reading room shows it once, before the first image (API: POST /api/reading/{assignmentId}/briefing).");
  }
  const config = frozenConfig(study.id, study.config);
  if (input.confidence < config.confidenceScale.min || input.confidence > config.confidenceScale.max) {
    throw new InvalidInputError(`Confidence must be between ${config.confidenceScale.min} and ${config.confidenceScale.max}.`);
  }
  const earlier = await prisma.response.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { itemId: true, call: true } });
  if (earlier && earlier.itemId !== item.id) throw new ConflictError('This answer key was already used for another image.');
  const answered = await answeredCount(assignmentId);
  if (!earlier) {
    throw new ConflictError(input.position < answered ? 'This image was already answered.' : 'Answer the current image first.', {
      state: await stateAfter(item.assignment, answered),
    });
  }
  // Feedback follows the stored answer: a retry under the same key is told about the first call, not its own.
  const storedCall = earlier.call ?? input.call;
  const total = item.assignment._count.items;
  const result: AnswerResult = { status: 'duplicate', idempotencyKey: input.idempotencyKey, answered, isComplete: answered >= total };
  if (item.phase === 'PRACTICE') result.feedback = { truth: item.image.origin, isCorrect: item.image.origin === storedCall };
  return result;
}

/** Records that the reader confirmed the study's briefing; the first confirmation counts. */
export async function confirmBriefing(assignmentId: string, readerId: string): Promise<{ briefedAt: Date }> {
  const assignment = await ownedAssignment(assignmentId, readerId);
  if (assignment.briefedAt) return { briefedAt: assignment.briefedAt };
  const briefedAt = new Date();
  await getPrisma().assignment.updateMany({ where: { id: assignmentId, briefedAt: null }, data: { briefedAt } });
  return { briefedAt };
}

/** The canonical image bytes behind a token: only for the reader who owns it, only while the study is open. */
/**
 * What a reader receives for a stored image: its fixed-length served PNG (lib/images/served.ts), one
 * byte length per pool. The leak audit times this same function (time to first byte).
 */
export async function servedImage(storageKey: string): Promise<Uint8Array | null> {
  const stored = await new PgImageStore().get(storageKey);
  return stored ? servedPngFromCanonical(stored) : null;
}

export async function imageForToken(token: string, readerId: string): Promise<Uint8Array> {
  const prisma = getPrisma();
  const item = await prisma.assignmentItem.findUnique({
    where: { token },
    select: { id: true, firstServedAt: true, assignment: { select: { readerId: true, study: { select: { status: true } } } }, image: { select: { storageKey: true } } },
  });
  if (!item || item.assignment.readerId !== readerId || item.assignment.study.status !== 'OPEN') {
    throw new NotFoundError('Not found.');
  }
  const bytes = await servedImage(item.image.storageKey);
  if (!bytes) throw new NotFoundError('Not found.');
  // Server-side response time runs from the first time the bytes are served (with prefetching, an upper bound).
  if (!item.firstServedAt) await prisma.assignmentItem.updateMany({ where: { id: item.id, firstServedAt: null }, data: { firstServedAt: new Date() } });
  return bytes;
}

/** The reader's studies with progress, for the reader home page. */
export async function readerAssignments(readerId: string) {
  const prisma = getPrisma();
  const assignments = await prisma.assignment.findMany({
    where: { readerId, study: { status: 'OPEN' } },
    select: { id: true, completedAt: true, study: { select: { name: true, description: true } }, _count: { select: { items: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return Promise.all(
    assignments.map(async (a) => ({
      id: a.id,
      name: a.study.name,
      description: a.study.description,
      total: a._count.items,
      answered: await answeredCount(a.id),
    })),
  );
}
