import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decode } from 'fast-png';
import yauzl from 'yauzl';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { encodeCanonical } from '@/lib/images';
import { importBatch } from '@/lib/pools/import';
import { seedCheckedSynthetic } from '../support/synthetic';
import { REPEATED_LOOKS_WARNING } from '@/lib/dashboard/interim';
import { computeStudyDashboard } from '@/lib/dashboard/store';
import { bundleStream, loadExportStudy, summaryJson } from '@/lib/exports/store';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { loadInterimReport, recordInterimDecision } from '@/lib/studies/interim';
import { createStudy, openStudy } from '@/lib/studies/store';
import { readerState, recordAnswer } from '@/lib/reading/store';
import { sharedDataDir } from '../support/shared-data';

const POOL = 'CT_HEAD-48';
const IMAGES = 20;

function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const parts: Buffer[] = [];
          stream.on('data', (d: Buffer) => parts.push(d));
          stream.on('end', () => {
            files.set(entry.fileName.replace(/^[^/]+\//, ''), Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

async function makeReaders(n: number, tag: string) {
  const passwordHash = await hashPassword('not-used-here');
  return Promise.all(Array.from({ length: n }, (_, i) => getPrisma().user.create({ data: { email: `${tag}-${i}-${Date.now()}@test.local`, name: `${tag} ${i}`, role: 'READER', passwordHash } })));
}

describe('interim looks against the database', () => {
  let poolId: string;
  let readers: Array<{ id: string }>;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    const prisma = getPrisma();
    if (!(await prisma.pool.findUnique({ where: { key: POOL } }))) {
      const dir = path.join(sharedDataDir(), 'demo', 'headct-mednist-64');
      const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.png'))
        .sort()
        .map((name) => {
          const px = decode(fs.readFileSync(path.join(dir, name))).data as Uint8Array;
          const crop = Uint8Array.from({ length: 48 * 48 }, (_, p) => px[(8 + Math.floor(p / 48)) * 64 + 8 + (p % 48)]);
          return { name, bytes: encodeCanonical(crop, 48, 48, 8) };
        });
      await importBatch({ files, modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT', source: 'interim-test' });
    }
    await seedCheckedSynthetic(POOL, 40);
    poolId = (await prisma.pool.findUniqueOrThrow({ where: { key: POOL } })).id;
    readers = await makeReaders(2, 'interim');
  }, 180_000);

  it('a study without planned looks warns on its dashboard that repeated looks inflate the false-positive rate', async () => {
    const study = await createStudy({ name: 'No looks', config: { imagesPerReader: 10 }, poolIds: [poolId], readerIds: [readers[0].id], createdById: null });
    await openStudy(study.id, null);
    const stats = await computeStudyDashboard(study.id);
    expect(stats.interim).toMatchObject({ isPlanned: false, warning: REPEATED_LOOKS_WARNING, plannedAnswers: 10 });
  });

  it('analyses the first ⌈f·N⌉ answers in server order, records the decision in the audit log and every export, and closes on request', async () => {
    const prisma = getPrisma();
    const study = await createStudy({
      name: 'Looks at 50 %',
      config: { imagesPerReader: IMAGES, interimLooks: { at: [0.5] } },
      poolIds: [poolId],
      readerIds: readers.map((r) => r.id),
      createdById: null,
    });
    const opened = await openStudy(study.id, null);
    const before = await loadInterimReport(study.id);
    expect(before.looks.map((l) => [l.size, l.isReached])).toEqual([
      [20, false],
      [40, false],
    ]);
    // Reader 0 is always right, reader 1 always wrong; they answer in turn, so the first 20 answers
    // in server order hold 10 of each while reader 0 alone would be 20 of 20.
    const queues = await Promise.all(
      readers.map(async (reader) => {
        const assignment = await prisma.assignment.findFirstOrThrow({ where: { studyId: study.id, readerId: reader.id } });
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
      await recordAnswer(assignment.id, reader.id, { token: item.token, position: item.position, call: k === 0 ? right : wrong, confidence: 3, clientMs: 900, idempotencyKey: crypto.randomUUID() });
    };
    for (let i = 0; i < 12; i++) {
      await answer(0, i);
      await answer(1, i);
    }
    // A later answer of reader 0 that lands after the first 20 must not count at look 1.
    await answer(0, 12);
    const report = await loadInterimReport(study.id);
    expect(report.answered).toBe(25);
    expect(report.looks[0].isReached).toBe(true);
    expect(report.looks[0].result).toMatchObject({ n: 20, correct: 10 });
    expect(report.looks[0].result!.discrimination.z).toBe(0);
    expect(report.looks[0].result!.discrimination.crossed).toBe(false);
    expect(report.looks[1].result).toBeNull();
    expect(report.suggestion).toBeNull();

    await expect(recordInterimDecision(study.id, { look: 2, decision: 'continue' }, null)).rejects.toThrow(/not reached/);
    await expect(recordInterimDecision(study.id, { look: 1, decision: 'maybe' }, null)).rejects.toThrow(/decision must be/);
    const decided = await recordInterimDecision(study.id, { look: 1, decision: 'continue', note: 'as planned' }, null);
    expect(decided.looks[0].decision).toMatchObject({ decision: 'continue', note: 'as planned' });
    await expect(recordInterimDecision(study.id, { look: 1, decision: 'close' }, null)).rejects.toThrow(/already recorded/);

    const events = await prisma.auditEvent.findMany({ where: { targetId: study.id }, orderBy: { id: 'asc' } });
    const decision = events.find((e) => e.action === 'study.interim-decision')!;
    expect(decision.after).toMatchObject({
      look: 1,
      size: 20,
      correct: 10,
      decision: 'continue',
      spending: "O'Brien–Fleming type",
      discrimination: { z: 0, boundary: report.looks[0].boundaries.discrimination, crossed: false },
    });

    const summary = JSON.parse(await summaryJson(await loadExportStudy(study.id), await loadStudyData(study.id)));
    expect(summary.protocolHash).toBe(opened.configHash);
    expect(summary.configuration.interimLooks).toEqual({ at: [0.5], spending: 'obrien-fleming' });
    expect(summary.interim.looks[0]).toMatchObject({ size: 20, decision: { decision: 'continue', note: 'as planned' } });
    expect(summary.interim.looks[0].decision).not.toHaveProperty('actor');
    const chunks: Uint8Array[] = [];
    const zipReader = (await bundleStream(await loadExportStudy(study.id))).getReader();
    for (let part = await zipReader.read(); !part.done; part = await zipReader.read()) chunks.push(part.value);
    const readme = (await unzip(Buffer.concat(chunks))).get('README.txt')!.toString('utf8');
    expect(readme).toMatch(/INTERIM LOOKS[\s\S]*Look 1 \(50 %, first 20 answers\)[\s\S]*decision: continue .*as planned/);

    // Reader 0 finishes alone: the final look is reached with every answer.
    for (let i = 13; i < queues[0].items.length; i++) await answer(0, i);
    for (let i = 12; i < queues[1].items.length; i++) await answer(1, i);
    const final = await loadInterimReport(study.id);
    expect(final.looks[1].result).toMatchObject({ n: 40, correct: 20 });
    await recordInterimDecision(study.id, { look: 2, decision: 'close', note: 'final analysis' }, null);
    expect((await prisma.study.findUniqueOrThrow({ where: { id: study.id } })).status).toBe('CLOSED');
    const actions = (await prisma.auditEvent.findMany({ where: { targetId: study.id }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['study.interim-decision', 'study.close']);
  });
});
