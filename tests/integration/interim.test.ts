import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { REPEATED_LOOKS_WARNING } from '@/lib/dashboard/interim';
import { computeStudyDashboard } from '@/lib/dashboard/store';
import { bundleStream, loadExportStudy, summaryJson } from '@/lib/exports/store';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { loadInterimReport, recordInterimDecision } from '@/lib/studies/interim';
import { headCt48Pool, makeReaders, openTestStudy, type TestReader } from '../support/open-study';
import { unzipBundle } from '../support/unzip';
import { readerState } from '@/lib/reading/store';
import { answerAsReader } from '../support/reading';

const IMAGES = 20;

describe('interim looks against the database', () => {
  let poolId: string;
  let readers: TestReader[];

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    poolId = await headCt48Pool();
    readers = await makeReaders(2, 'interim');
  }, 180_000);

  it('a study without planned looks warns on its dashboard that repeated looks inflate the false-positive rate', async () => {
    const { studyId } = await openTestStudy({ name: 'No looks', config: { imagesPerReader: 10 }, poolIds: [poolId], readers: [readers[0]] });
    const stats = await computeStudyDashboard(studyId);
    expect(stats.interim).toMatchObject({ isPlanned: false, warning: REPEATED_LOOKS_WARNING, plannedAnswers: 10 });
  });

  it('analyses the first ⌈f·N⌉ answers in server order, records the decision in the audit log and every export, and closes on request', async () => {
    const prisma = getPrisma();
    const { studyId, opened } = await openTestStudy({ name: 'Looks at 50 %', config: { imagesPerReader: IMAGES, interimLooks: { at: [0.5] } }, poolIds: [poolId], readers });
    const before = await loadInterimReport(studyId);
    expect(before.looks.map((l) => [l.size, l.isReached])).toEqual([
      [20, false],
      [40, false],
    ]);
    // Reader 0 is always right, reader 1 always wrong; they answer in turn, so the first 20 answers
    // in server order hold 10 of each while reader 0 alone would be 20 of 20.
    const queues = await Promise.all(
      readers.map(async (reader) => {
        const assignment = await prisma.assignment.findFirstOrThrow({ where: { studyId, readerId: reader.id } });
        await readerState(assignment.id, reader.id);
        const items = await prisma.assignmentItem.findMany({ where: { assignmentId: assignment.id }, orderBy: { position: 'asc' }, include: { image: { select: { origin: true } } } });
        return { assignment, reader, items };
      }),
    );
    const answer = async (k: number, i: number) => {
      const { assignment, reader, items } = queues[k];
      const item = items[i];
      const right = item.image.origin;
      const wrong = right === 'REAL' ? 'SYNTHETIC' : 'REAL';
      await answerAsReader(assignment.id, reader.id, { token: item.token, position: item.position, call: k === 0 ? right : wrong, confidence: 3, clientMs: 900, idempotencyKey: crypto.randomUUID() });
    };
    for (let i = 0; i < 12; i++) {
      await answer(0, i);
      await answer(1, i);
    }
    // A later answer of reader 0 that lands after the first 20 must not count at look 1.
    await answer(0, 12);
    const report = await loadInterimReport(studyId);
    expect(report.answered).toBe(25);
    expect(report.looks[0].isReached).toBe(true);
    expect(report.looks[0].result).toMatchObject({ n: 20, correct: 10 });
    expect(report.looks[0].result!.discrimination.z).toBe(0);
    expect(report.looks[0].result!.discrimination.crossed).toBe(false);
    expect(report.looks[1].result).toBeNull();
    expect(report.suggestion).toBeNull();

    await expect(recordInterimDecision(studyId, { look: 2, decision: 'continue' }, null)).rejects.toThrow(/not reached/);
    await expect(recordInterimDecision(studyId, { look: 1, decision: 'maybe' }, null)).rejects.toThrow(/decision must be/);
    const decided = await recordInterimDecision(studyId, { look: 1, decision: 'continue', note: 'as planned' }, null);
    expect(decided.looks[0].decision).toMatchObject({ decision: 'continue', note: 'as planned' });
    await expect(recordInterimDecision(studyId, { look: 1, decision: 'close' }, null)).rejects.toThrow(/already recorded/);

    const events = await prisma.auditEvent.findMany({ where: { targetId: studyId }, orderBy: { id: 'asc' } });
    const decision = events.find((e) => e.action === 'study.interim-decision')!;
    expect(decision.after).toMatchObject({
      look: 1,
      size: 20,
      correct: 10,
      decision: 'continue',
      spending: "O'Brien–Fleming type",
      discrimination: { z: 0, boundary: report.looks[0].boundaries.discrimination, crossed: false },
    });

    const summary = JSON.parse(await summaryJson(await loadExportStudy(studyId), await loadStudyData(studyId)));
    expect(summary.protocolHash).toBe(opened.configHash);
    expect(summary.configuration.interimLooks).toEqual({ at: [0.5], spending: 'obrien-fleming' });
    expect(summary.interim.looks[0]).toMatchObject({ size: 20, decision: { decision: 'continue', note: 'as planned' } });
    expect(summary.interim.looks[0].decision).not.toHaveProperty('actor');
    const chunks: Uint8Array[] = [];
    const zipReader = (await bundleStream(await loadExportStudy(studyId))).getReader();
    for (let part = await zipReader.read(); !part.done; part = await zipReader.read()) chunks.push(part.value);
    const readme = (await unzipBundle(Buffer.concat(chunks))).get('README.txt')!.toString('utf8');
    expect(readme).toMatch(/INTERIM LOOKS[\s\S]*Look 1 \(50 %, first 20 answers\)[\s\S]*decision: continue .*as planned/);

    // Reader 0 finishes alone: the final look is reached with every answer.
    for (let i = 13; i < queues[0].items.length; i++) await answer(0, i);
    for (let i = 12; i < queues[1].items.length; i++) await answer(1, i);
    const final = await loadInterimReport(studyId);
    expect(final.looks[1].result).toMatchObject({ n: 40, correct: 20 });
    await recordInterimDecision(studyId, { look: 2, decision: 'close', note: 'final analysis' }, null);
    expect((await prisma.study.findUniqueOrThrow({ where: { id: studyId } })).status).toBe('CLOSED');
    const actions = (await prisma.auditEvent.findMany({ where: { targetId: studyId }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['study.interim-decision', 'study.close']);
  });
});
