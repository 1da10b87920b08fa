import crypto from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { httpStatus } from '@/lib/http';
import { applyMigrations } from '@/lib/db/migrations';
import { importFolder } from '@/lib/pools/folder';
import { closeStudy, createStudy, openStudy } from '@/lib/studies/store';
import { confirmBriefing, readerState, recordAnswer } from '@/lib/reading/store';
import { seedCheckedSynthetic } from '../support/synthetic';
import { hashPassword } from '@/lib/auth/passwords';
import { sharedDataDir } from '../support/shared-data';
import { answerAsReader, readerSession } from '../support/reading';
import { openHeadCtStudy } from '../support/open-study';

const READERS = 50;
const IMAGES = 16;

/** Rejections are part of the test (duplicates, answers ahead of their turn): they must be 409s. */
async function attempt(work: () => Promise<unknown>): Promise<'ok' | number> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    return error instanceof DomainError ? httpStatus(error) : Promise.reject(error);
  }
}

describe('the answer path under concurrency', () => {
  let studyId: string;
  let readers: Array<{ id: string; assignmentId: string }>;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    const prisma = getPrisma();
    const dir = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
    await importFolder({ dir, modality: 'CT_HEAD', origin: 'REAL', source: 'answers-test' }).catch(() => undefined);
    await seedCheckedSynthetic('CT_HEAD-64', 40);
    const pool = await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } });
    const passwordHash = await hashPassword('not-used-here');
    const users = await Promise.all(
      Array.from({ length: READERS }, (_, i) => prisma.user.create({ data: { email: `load-${i}-${Date.now()}@test.local`, name: `Load ${i}`, role: 'READER', passwordHash } })),
    );
    const study = await createStudy({ name: `Concurrency ${Date.now()}`, config: { imagesPerReader: IMAGES, maxRunLength: 3 }, poolIds: [pool.id], readerIds: users.map((u) => u.id), createdById: null });
    studyId = study.id;
    await openStudy(study.id, null);
    const assignments = await prisma.assignment.findMany({ where: { studyId } });
    readers = users.map((u) => ({ id: u.id, assignmentId: assignments.find((a) => a.readerId === u.id)!.id }));
  }, 300_000);

  it(`${READERS} readers answering at once, with duplicate submissions and out-of-order retries, leave exactly one answer per item`, async () => {
    const prisma = getPrisma();
    const outcomes = await Promise.all(
      readers.map(async (reader) => {
        const statuses: Array<'ok' | number> = [];
        const items = await prisma.assignmentItem.findMany({ where: { assignmentId: reader.assignmentId }, orderBy: { position: 'asc' } });
        await readerState(reader.assignmentId, reader.id);
        for (const item of items) {
          const answer = { token: item.token, position: item.position, call: 'REAL' as const, confidence: 3, clientMs: 1200, idempotencyKey: crypto.randomUUID() };
          const next = items[item.position + 1];
          const sends = [
            () => answerAsReader(reader.assignmentId, reader.id, answer),
            // the same answer again (a retry after a lost acknowledgement, a double click)
            () => answerAsReader(reader.assignmentId, reader.id, answer),
            // a second answer to the same image under a new key (a second tab)
            () => answerAsReader(reader.assignmentId, reader.id, { ...answer, idempotencyKey: crypto.randomUUID() }),
          ];
          // an answer for the next image arriving before this one (a reordered retry)
          if (next) sends.push(() => answerAsReader(reader.assignmentId, reader.id, { ...answer, token: next.token, position: next.position, idempotencyKey: `early-${crypto.randomUUID()}` }));
          statuses.push(...(await Promise.all(sends.map(attempt))));
          // the original retried once more, after the fact
          statuses.push(await attempt(() => answerAsReader(reader.assignmentId, reader.id, answer)));
        }
        return statuses;
      }),
    );
    const flat = outcomes.flat();
    expect(flat.filter((s) => s !== 'ok' && s !== 409)).toEqual([]);

    const rows = await prisma.$queryRaw<Array<{ assignmentId: string; position: number; n: bigint }>>`
      SELECT i."assignmentId", i.position, count(r.id) AS n
        FROM "AssignmentItem" i JOIN "Assignment" a ON a.id = i."assignmentId"
        LEFT JOIN "Response" r ON r."itemId" = i.id
       WHERE a."studyId" = ${studyId}
       GROUP BY i."assignmentId", i.position`;
    expect(rows).toHaveLength(READERS * IMAGES);
    const counts = new Set(rows.map((r) => Number(r.n)));
    expect([...counts]).toEqual([1]);
    const total = await prisma.response.count({ where: { item: { assignment: { studyId } } } });
    expect(total).toBe(READERS * IMAGES);
  }, 180_000);

  it('a reader confirms the briefing once; the first time is kept, and no one else can confirm it', async () => {
    const { readers: [reader, other] } = await openHeadCtStudy('briefing', 2, undefined, null, { isBriefed: false });
    expect(await readerState(reader.assignmentId, reader.id)).toMatchObject({ isBriefed: false, briefing: expect.stringContaining('synthetic') });
    const first = await confirmBriefing(reader.assignmentId, reader.id);
    const again = await confirmBriefing(reader.assignmentId, reader.id);
    expect(again.briefedAt.toISOString()).toBe(first.briefedAt.toISOString());
    expect((await readerState(reader.assignmentId, reader.id)).isBriefed).toBe(true);
    const refused = await confirmBriefing(reader.assignmentId, other.id).then(() => null, (e: unknown) => e);
    expect(refused instanceof DomainError ? httpStatus(refused) : refused).toBe(404);
    expect((await readerState(other.assignmentId, other.id)).isBriefed).toBe(false);
  });

  it('takes no answer before the reader confirmed the briefing (409, nothing stored), then takes it', async () => {
    const { readers: [reader] } = await openHeadCtStudy('unbriefed', 1, undefined, null, { isBriefed: false });
    const answer = { token: reader.items[0].token, position: 0, call: 'REAL' as const, confidence: 3, idempotencyKey: crypto.randomUUID() };
    const refused = await recordAnswer(reader.assignmentId, readerSession(reader.id), answer).then(() => null, (e: unknown) => e);
    expect(refused instanceof DomainError ? { status: httpStatus(refused), message: refused.message } : refused).toEqual({
      status: 409,
      message: "Confirm the study's briefing first: the reading room shows it once, before the first image (API: POST /api/reading/{assignmentId}/briefing).",
    });
    expect(await getPrisma().response.count({ where: { item: { assignmentId: reader.assignmentId } } })).toBe(0);
    await confirmBriefing(reader.assignmentId, reader.id);
    expect(await recordAnswer(reader.assignmentId, readerSession(reader.id), answer)).toMatchObject({ status: 'stored', answered: 1 });
  });

  it("checks the session's user in the answer's own statement: a disabled account, an ended session, a temporary password", async () => {
    const prisma = getPrisma();
    const { readers: [reader] } = await openHeadCtStudy('session', 1);
    const answer = (position: number, sessionVersion = 0) =>
      recordAnswer(reader.assignmentId, readerSession(reader.id, sessionVersion), { token: reader.items[position].token, position, call: 'REAL', confidence: 3, idempotencyKey: `session-${reader.id}-${position}` });
    const status = (work: Promise<unknown>) => work.then(() => 'stored', (e: unknown) => (e instanceof DomainError ? httpStatus(e) : e));
    expect(await status(answer(0))).toBe('stored');
    // A retry of a stored answer is refused too once the session is no longer valid.
    await prisma.user.update({ where: { id: reader.id }, data: { isDisabled: true } });
    expect(await status(answer(0))).toBe(401);
    expect(await status(answer(1))).toBe(401);
    await prisma.user.update({ where: { id: reader.id }, data: { isDisabled: false, sessionVersion: 1 } });
    expect(await status(answer(1))).toBe(401);
    expect(await status(answer(1, 1))).toBe('stored');
    await prisma.user.update({ where: { id: reader.id }, data: { mustChangePassword: true } });
    expect(await status(answer(2, 1))).toBe(403);
    await prisma.user.update({ where: { id: reader.id }, data: { mustChangePassword: false, role: 'COORDINATOR' } });
    expect(await status(answer(2, 1))).toBe(403);
    expect(await prisma.response.count({ where: { item: { assignmentId: reader.assignmentId } } })).toBe(2);
  });

  it('takes only the current item of an open study, each answer once (the rules live in the store\'s SQL)', async () => {
    const prisma = getPrisma();
    const pool = await prisma.pool.findUniqueOrThrow({ where: { key: 'CT_HEAD-64' } });
    const reader = await prisma.user.create({
      data: { email: `rules-${Date.now()}@test.local`, name: 'Rules', role: 'READER', passwordHash: await hashPassword('not-used-here') },
    });
    const study = await createStudy({ name: `Rules ${Date.now()}`, config: { imagesPerReader: 4, maxRunLength: 3 }, poolIds: [pool.id], readerIds: [reader.id], createdById: null });
    await openStudy(study.id, null);
    const { id: assignmentId } = await prisma.assignment.findFirstOrThrow({ where: { studyId: study.id, readerId: reader.id } });
    const start = await readerState(assignmentId, reader.id);
    expect(start).toMatchObject({ answered: 0, isComplete: false });
    const items = start.items;
    expect(items.map((i) => i.position)).toEqual(Array.from({ length: start.total }, (_, p) => p));
    const answer = (position: number, idempotencyKey: string) =>
      answerAsReader(assignmentId, reader.id, { token: items[position].token, position, call: 'REAL', confidence: 3, idempotencyKey });
    const refusal = async (work: Promise<unknown>) => {
      const error = await work.then(() => null, (e: unknown) => e);
      return error instanceof DomainError ? { status: httpStatus(error), message: error.message } : error;
    };

    expect(await refusal(answer(1, 'key-ahead-1'))).toEqual({ status: 409, message: 'Answer the current image first.' });
    expect(await answer(0, 'key-0000')).toMatchObject({ status: 'stored', answered: 1 });
    expect(await answer(0, 'key-0000')).toMatchObject({ status: 'duplicate', answered: 1 });
    expect(await refusal(answer(0, 'key-other'))).toEqual({ status: 409, message: 'This image was already answered.' });
    expect(await refusal(answer(1, 'key-0000'))).toEqual({ status: 409, message: 'This answer key was already used for another image.' });
    for (let p = 1; p < items.length; p++) expect(await answer(p, `key-000${p}`)).toMatchObject({ status: 'stored', answered: p + 1 });
    const last = items.length - 1;
    expect(await answer(last, `key-000${last}`)).toMatchObject({ status: 'duplicate', isComplete: true });
    expect(await prisma.response.count({ where: { item: { assignmentId } } })).toBe(items.length);

    await closeStudy(study.id, null);
    expect(await refusal(answer(last, `key-000${last}`))).toEqual({ status: 409, message: 'This study is not open for reading.' });
  }, 120_000);
});
