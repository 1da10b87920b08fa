import crypto from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { closeStudy } from '@/lib/studies/store';
import { openHeadCtStudy } from '../support/open-study';
import { answerAsReader } from '../support/reading';

beforeAll(async () => {
  await applyMigrations(process.env.DATABASE_URL!);
}, 120_000);

async function stored(studyId: string): Promise<number> {
  return getPrisma().response.count({ where: { item: { assignment: { studyId } } } });
}

describe('closing a study while readers answer', () => {
  it('stores no answer after the close commits; every answer is either acknowledged and stored or refused as closed', async () => {
    const { studyId, readers } = await openHeadCtStudy('race', 24, { imagesPerReader: 12, maxRunLength: 3 });
    let acknowledged = 0;
    const refusals = new Map<string, number>();
    const readAll = Promise.all(
      readers.map(async (reader) => {
        for (const item of reader.items) {
          try {
            await answerAsReader(reader.assignmentId, reader.id, { token: item.token, position: item.position, call: 'REAL', confidence: 3, idempotencyKey: crypto.randomUUID() });
            acknowledged++;
          } catch (error) {
            const message = (error as Error).message;
            refusals.set(message, (refusals.get(message) ?? 0) + 1);
            return;
          }
        }
      }),
    );
    // Close while the answers are flowing (once some have landed, however loaded the machine).
    while ((await stored(studyId)) < readers.length) await new Promise((r) => setTimeout(r, 10));
    await closeStudy(studyId, null);
    const atClose = await stored(studyId);
    await readAll;
    expect(await stored(studyId), 'answers stored after the close committed').toBe(atClose);
    expect(atClose).toBe(acknowledged);
    expect(atClose).toBeGreaterThan(0);
    expect([...refusals.keys()]).toEqual(['This study is not open for reading.']);
  }, 120_000);
});

describe('an answer that passed the open check before the close', () => {
  it('is not stored when its insert runs after the close committed', async () => {
    const { studyId, readers } = await openHeadCtStudy('late', 6);
    // Hold the answers between their first look at the study and their insert: a table lock blocks the inserts.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE "Response" IN SHARE MODE');
    const outcomes = readers.map((reader) =>
      answerAsReader(reader.assignmentId, reader.id, { token: reader.items[0].token, position: 0, call: 'REAL', confidence: 3, idempotencyKey: crypto.randomUUID() }).then(
        () => 'stored',
        (error: Error) => error.message,
      ),
    );
    for (let waiting = 0; waiting < readers.length; ) {
      await new Promise((r) => setTimeout(r, 20));
      const { rows } = await blocker.query(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'Response' AND NOT l.granted`);
      waiting = rows[0].n;
    }
    await closeStudy(studyId, null);
    await blocker.query('COMMIT');
    await blocker.end();
    expect(await Promise.all(outcomes)).toEqual(Array(readers.length).fill('This study is not open for reading.'));
    expect(await stored(studyId)).toBe(0);
  }, 60_000);
});

describe('a retried practice answer', () => {
  it('gets the feedback of the stored answer, not of the resubmitted call', async () => {
    const { readers } = await openHeadCtStudy('practice', 1, { imagesPerReader: 8, maxRunLength: 3, practiceItems: 2 });
    const [reader] = readers;
    const first = reader.items[0];
    expect(first.phase).toBe('PRACTICE');
    const truth = (await getPrisma().image.findUniqueOrThrow({ where: { id: first.imageId } })).origin;
    const wrong = truth === 'REAL' ? 'SYNTHETIC' : 'REAL';
    const key = crypto.randomUUID();
    const answer = { token: first.token, position: 0, confidence: 3, idempotencyKey: key };
    const original = await answerAsReader(reader.assignmentId, reader.id, { ...answer, call: wrong });
    expect(original.feedback).toEqual({ truth, isCorrect: false });
    // The same key again, now with the right call (a tampered or confused retry): still the stored verdict.
    const retry = await answerAsReader(reader.assignmentId, reader.id, { ...answer, call: truth });
    expect(retry.status).toBe('duplicate');
    expect(retry.feedback).toEqual({ truth, isCorrect: false });
    const rows = await getPrisma().response.findMany({ where: { idempotencyKey: key } });
    expect(rows.map((r) => r.call)).toEqual([wrong]);
  });
});
