import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnprocessableError } from '@/lib/errors';
import { getPrisma } from '@/lib/db/client';
import { PgImageStore } from '@/lib/db/image-store';
import { applyMigrations } from '@/lib/db/migrations';
import { encodeCanonical } from '@/lib/images';
import { importBatch } from '@/lib/pools/import';
import { runMemorisationCheck } from '../support/synthetic';
import { StudyStateError } from '@/lib/studies';
import { computeStudyDashboard, dashboardStats, studyProgress } from '@/lib/dashboard/store';
import { previewDesign } from '@/lib/studies/design';
import { answersCsvStream, bundleStream, imrmcText, loadExportStudy, mrmcaovCsv, summaryJson } from '@/lib/exports/store';
import { getPgPool } from '@/lib/db/pg';
import { closeStudy, createStudy, openStudy, reopenStudy, updateDraft } from '@/lib/studies/store';
import { imageForToken, readerState } from '@/lib/reading/store';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { studyList } from '@/lib/studies/listing';
import { parseImrmc } from '../support/imrmc-grammar';
import { boxBlur, headCt48Pool, makeReaders, type TestReader } from '../support/open-study';
import { unzipBundle } from '../support/unzip';
import { answerAsReader } from '../support/reading';

const IMAGES = 20;
const POOL = 'CT_HEAD-48';

async function streamText(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

describe('a study from design to exports, against the database', () => {
  let studyId: string;
  let readers: TestReader[];
  let poolId: string;
  const coordinatorId: string | null = null;

  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    poolId = await headCt48Pool();
    readers = await makeReaders(3, 'coord');
  }, 180_000);

  it('previews a design: eligible counts, strata and problems before anything is stored', async () => {
    const preview = await previewDesign({ config: { imagesPerReader: IMAGES, strata: { by: ['modality'] } }, poolIds: [poolId], readerIds: [] });
    expect(preview.eligible.real).toBeGreaterThanOrEqual(100);
    expect(preview.eligible.synthetic).toBeGreaterThanOrEqual(40);
    expect(preview.strata).toEqual([expect.objectContaining({ label: 'CT_HEAD', selectedReal: IMAGES / 2, selectedSynthetic: IMAGES / 2 })]);
    expect(preview.problems).toEqual(['Invite at least one reader.']);
    const bad = await previewDesign({ config: { imagesPerReader: 10_000, maxRunLength: 0 }, poolIds: [poolId], readerIds: [readers[0].id] });
    expect(bad.problems).toContain('maxRunLength: must be a whole number ≥ 1');
  });

  it('creates and edits a draft, opens it after the leak audit, and freezes it', async () => {
    // A name iMRMC would misread in a header line ("Gen1:" holds "N1:"): the export must still parse.
    const study = await createStudy({ name: 'Gen1: coordinator test', config: { imagesPerReader: 10 }, poolIds: [poolId], readerIds: readers.map((r) => r.id), createdById: coordinatorId });
    studyId = study.id;
    await updateDraft(studyId, { config: { imagesPerReader: IMAGES, repeatedItems: 2, practiceItems: 2, confidenceScale: { min: 1, max: 5 } }, description: 'edited' }, coordinatorId);
    const opened = await openStudy(studyId, coordinatorId);
    expect(opened.leakAudit.passed).toBe(true);
    // The demo generator's images: the gate passed; how well pixels separate the classes is reported, not a gate.
    expect(opened.leakAudit.gatePassed).toBe(true);
    expect(opened.leakAudit.auc).toEqual(expect.any(Number));
    expect(opened.configHash).toMatch(/^[0-9a-f]{64}$/);
    await expect(updateDraft(studyId, { name: 'changed' }, coordinatorId)).rejects.toBeInstanceOf(StudyStateError);
    const events = await getPrisma().auditEvent.findMany({ where: { targetId: studyId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['study.create', 'study.update', 'study.open']);
    expect(events[1].before).toMatchObject({ config: { imagesPerReader: 10 } });
    expect(events[1].after).toMatchObject({ description: 'edited', config: { imagesPerReader: IMAGES } });
    expect(events[2].after).toMatchObject({ status: 'OPEN', configHash: opened.configHash, leakAudit: { passed: true } });
  });

  it('readers answer; the dashboard statistics match counts taken straight from the database', async () => {
    const prisma = getPrisma();
    // A label a spreadsheet would run as a formula, on one of the study's images.
    const someImage = await prisma.studyImage.findFirstOrThrow({ where: { studyId, phase: 'SCORED' }, orderBy: { imageId: 'asc' } });
    await prisma.image.update({ where: { id: someImage.imageId }, data: { labels: ['=HYPERLINK("http://evil.example","x")'] } });
    for (const [k, reader] of readers.entries()) {
      const assignment = await prisma.assignment.findFirstOrThrow({ where: { studyId, readerId: reader.id } });
      const items = await prisma.assignmentItem.findMany({ where: { assignmentId: assignment.id }, orderBy: { position: 'asc' } });
      await readerState(assignment.id, reader.id);
      // The third reader stops halfway: the dashboard must cope with a study in progress.
      const upTo = k === 2 ? Math.floor(items.length / 2) : items.length;
      for (const item of items.slice(0, upTo)) {
        // Half the images are fetched first (as the reading room does), so half the answers have a first-served time.
        if (item.position % 2 === 0) await imageForToken(item.token, reader.id);
        await answerAsReader(assignment.id, reader.id, {
          token: item.token,
          position: item.position,
          call: (item.position + k) % 3 === 0 ? 'REAL' : 'SYNTHETIC',
          confidence: 1 + ((item.position * (k + 2)) % 5),
          clientMs: 1000 + item.position,
          idempotencyKey: crypto.randomUUID(),
          telemetry: { zoom: item.position % 2, presets: ['+1 formula-like'] },
        });
      }
    }
    const truth = await prisma.$queryRaw<Array<{ analysed: bigint; correct: bigint; total: bigint; practice: bigint; repeats: bigint }>>`
      SELECT count(*) FILTER (WHERE i.phase = 'SCORED' AND NOT i."isRepeat") AS analysed,
             count(*) FILTER (WHERE i.phase = 'SCORED' AND NOT i."isRepeat" AND r.call::text = im.origin::text) AS correct,
             count(*) AS total,
             count(*) FILTER (WHERE i.phase = 'PRACTICE') AS practice,
             count(*) FILTER (WHERE i."isRepeat") AS repeats
        FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" JOIN "Assignment" a ON a.id = i."assignmentId" JOIN "Image" im ON im.id = i."imageId"
       WHERE a."studyId" = ${studyId}`;
    const t = truth[0];
    const stats = await computeStudyDashboard(studyId);
    expect(stats.progress.done).toBe(Number(t.total));
    expect(stats.summary!.counts).toMatchObject({ responses: Number(t.total), practiceExcluded: Number(t.practice), repeatsExcluded: Number(t.repeats), analysed: Number(t.analysed), readers: 3 });
    expect(stats.summary!.pooled.correct).toBe(Number(t.correct));
    expect(stats.summary!.pooled.accuracy).toBeCloseTo(Number(t.correct) / Number(t.analysed), 12);
    expect(stats.progress.readers.map((r) => r.pseudonym)).toEqual(['R01', 'R02', 'R03']);
    expect(stats.mrmc.analyses[0].result).not.toBeNull();
    const data = await loadStudyData(studyId);
    expect(data.answers.count).toBe(Number(t.total));
  });

  it('the answers CSV holds each stored answer\'s own fields, in reader and position order', async () => {
    // Straight from the tables the answers are stored in, formatted by PostgreSQL, not by the export.
    const expected = await getPrisma().$queryRaw<
      Array<{ position: number; block: number; clientMs: number | null; serverMs: number | null; firstServedAt: string | null; answeredAt: string; telemetry: string | null }>
    >`
      SELECT i.position, i.block, r."clientMs", r."serverMs",
             to_char(i."firstServedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "firstServedAt",
             to_char(r."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "answeredAt", r.telemetry::text AS telemetry
        FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" JOIN "Assignment" a ON a.id = i."assignmentId"
       WHERE a."studyId" = ${studyId} AND r.revision = 0
       ORDER BY a."readerId", i.position`;
    const csv = (await streamText(await answersCsvStream(await loadExportStudy(studyId)))).toString('utf8');
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(expected.some((e) => e.firstServedAt !== null) && expected.some((e) => e.firstServedAt === null)).toBe(true);
    expect(rows.map((r) => [r.position, r.block, r.client_ms, r.server_ms, r.first_served_at, r.answered_at, r.telemetry])).toEqual(
      expected.map((e) => [String(e.position), String(e.block), e.clientMs === null ? '' : String(e.clientMs), e.serverMs === null ? '' : String(e.serverMs), e.firstServedAt ?? '', e.answeredAt, e.telemetry ?? '']),
    );
  });

  it('exports parse back, carry the protocol hash, escape formula-like text and name no person or image', async () => {
    const prisma = getPrisma();
    const study = await prisma.study.findUniqueOrThrow({ where: { id: studyId } });
    const hash = study.configHash!;
    const total = await prisma.response.count({ where: { item: { assignment: { studyId } } } });
    const exported = await loadExportStudy(studyId);
    const data = await loadStudyData(studyId);

    const csv = (await streamText(await answersCsvStream(exported))).toString('utf8');
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.protocol_hash))).toEqual(new Set([hash]));
    const hostile = rows.filter((r) => r.label.includes('HYPERLINK'));
    expect(hostile.length).toBeGreaterThan(0);
    for (const r of hostile) expect(r.label).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(rows.every((r) => JSON.parse(r.telemetry).presets[0] === '+1 formula-like')).toBe(true);
    expect(rows.filter((r) => r.phase === 'PRACTICE')).toHaveLength(6);
    const images = await prisma.image.findMany({ where: { studyImages: { some: { studyId } } }, select: { id: true, sha256: true, sourceName: true, batchId: true } });
    for (const image of images) {
      for (const secret of [image.id, image.sha256, image.batchId, image.sourceName ?? image.id]) expect(csv).not.toContain(secret);
    }
    for (const reader of readers) expect(csv).not.toContain(reader.id);

    const imrmc = parseImrmc(imrmcText(exported, data));
    expect(imrmc.title).toContain(hash);
    expect(imrmc.header.NR).toBe(3);
    expect(imrmc.header.NM).toBe(1);
    const scoredFirst = rows.filter((r) => r.phase === 'SCORED' && r.is_repeat === '0');
    expect(imrmc.scores).toHaveLength(scoredFirst.length);
    for (const s of imrmc.scores) {
      const row = scoredFirst.find((r) => r.reader === s.reader && r.case === s.case)!;
      expect(s.score).toBe(Number(row.synthetic_score));
      expect(imrmc.truth.get(s.case)).toBe(row.truth === 'SYNTHETIC' ? 1 : 0);
    }

    const mrmcaov = parse(mrmcaovCsv(exported, data), { columns: true }) as Array<Record<string, string>>;
    expect(mrmcaov).toHaveLength(scoredFirst.length);
    expect(new Set(mrmcaov.map((r) => r.truth))).toEqual(new Set(['0', '1']));

    const summary = JSON.parse(await summaryJson(exported, data));
    expect(summary.protocolHash).toBe(hash);
    expect(summary.configuration.imagesPerReader).toBe(IMAGES);
    expect(summary.mrmc.analyses[0].result.tests[0]).toHaveProperty('pValueVsNull');
    expect(JSON.stringify(summary)).not.toContain(readers[0].id);

    const bundle = await unzipBundle(await streamText(await bundleStream(exported)));
    const names = [...bundle.keys()].sort();
    expect(names).toHaveLength(5);
    expect(names.find((n) => n.endsWith('answers.csv'))).toBeDefined();
    expect(bundle.get(names.find((n) => n.endsWith('answers.csv'))!)!.toString('utf8')).toBe(csv);
    expect(bundle.get('README.txt')!.toString('utf8')).toContain(hash);
  });

  it("the dashboard's cached statistics follow each answer of the study, including one committed late", async () => {
    const prisma = getPrisma();
    const before = await dashboardStats(studyId);
    const version = (await studyProgress(studyId)).version;
    expect(await dashboardStats(studyId)).toBe(before); // unchanged: served from the cache
    expect((await studyProgress(studyId)).version).toBe(version);

    // The third reader stopped halfway: their next answer moves the version and the statistics.
    const assignment = await prisma.assignment.findFirstOrThrow({ where: { studyId, readerId: readers[2].id } });
    const answered = await prisma.response.count({ where: { item: { assignmentId: assignment.id } } });
    const items = await prisma.assignmentItem.findMany({ where: { assignmentId: assignment.id }, orderBy: { position: 'asc' } });
    const next = items[answered];
    await answerAsReader(assignment.id, readers[2].id, { token: next.token, position: next.position, call: 'REAL', confidence: 3, clientMs: 900, idempotencyKey: crypto.randomUUID() });
    const afterOne = (await studyProgress(studyId)).version;
    expect(afterOne).not.toBe(version);
    const stats = await dashboardStats(studyId);
    expect(stats).not.toBe(before);
    expect(stats.progress.done).toBe(before.progress.done + 1);

    // An answer whose transaction commits only after the version was read still moves it when it commits.
    const late = items[answered + 1];
    const client = await getPgPool().connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO "Response" ("itemId", call, confidence, "idempotencyKey") VALUES ($1, 'SYNTHETIC', 2, $2)`, [late.id, crypto.randomUUID()]);
      expect((await studyProgress(studyId)).version).toBe(afterOne);
      expect((await dashboardStats(studyId)).progress.done).toBe(before.progress.done + 1);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await studyProgress(studyId)).version).not.toBe(afterOne);
    expect((await dashboardStats(studyId)).progress.done).toBe(before.progress.done + 2);
  });

  it('closes, refuses a reopen without a reason, reopens with one — each in the audit log', async () => {
    await closeStudy(studyId, coordinatorId);
    await expect(reopenStudy(studyId, coordinatorId, '  ')).rejects.toThrow(/requires a reason/);
    await reopenStudy(studyId, coordinatorId, 'one reader asked for more time');
    const events = await getPrisma().auditEvent.findMany({ where: { targetId: studyId, action: { in: ['study.close', 'study.reopen'] } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      ['study.close', { status: 'OPEN' }, { status: 'CLOSED' }],
      ['study.reopen', { status: 'CLOSED' }, { status: 'OPEN', reason: 'one reader asked for more time' }],
    ]);
  });
});

describe('the leak audit refuses to open', () => {
  it('a study whose synthetic images differ in pixel statistics (smoother, so smaller files) past its pixel-level limit', async () => {
    const prisma = getPrisma();
    // A pool of its own: 32×32 real images cut from the test's CT crops, and "synthetic" ones blurred flat.
    const ct = await prisma.pool.findUniqueOrThrow({ where: { key: POOL } });
    const reals = await prisma.image.findMany({ where: { poolId: ct.id, origin: 'REAL' }, orderBy: { sha256: 'asc' }, take: 60, select: { storageKey: true } });
    const store = new PgImageStore();
    const crops = await Promise.all(
      reals.map(async (r) => {
        const px = decode((await store.get(r.storageKey))!).data as Uint8Array;
        return Uint8Array.from({ length: 32 * 32 }, (_, p) => px[(8 + Math.floor(p / 32)) * 48 + 8 + (p % 32)]);
      }),
    );
    const realFiles = crops.slice(0, 30).map((px, i) => ({ name: `r${i}.png`, bytes: encodeCanonical(px, 32, 32, 8) }));
    const synthFiles = crops.slice(30).map((px, i) => ({ name: `s${i}.png`, bytes: encodeCanonical(boxBlur(px, 32, 3), 32, 32, 8) }));
    const real = await importBatch({ files: realFiles, modality: 'CT_HEAD', origin: 'REAL', kind: 'IMPORT', source: 'leak-test-real' });
    await runMemorisationCheck(await importBatch({ files: synthFiles, modality: 'CT_HEAD', origin: 'SYNTHETIC', kind: 'GENERATED', source: 'leak-test-synthetic', poolKey: real.poolKey }));
    const pool = await prisma.pool.findUniqueOrThrow({ where: { key: real.poolKey } });
    const [reader] = await makeReaders(1, 'leak');
    const study = await createStudy({ name: 'Leaky', config: { imagesPerReader: 10, leakAudit: { maxAuc: 0.6 } }, poolIds: [pool.id], readerIds: [reader.id], createdById: null });
    const refusal = await openStudy(study.id, null).then(
      () => null,
      (error) => error,
    );
    expect(refusal).toBeInstanceOf(UnprocessableError);
    expect(refusal.message).toMatch(/^The leak audit refused to open the study/);
    const report = refusal.details.leakAudit;
    expect(report.checks.find((c: { id: string }) => c.id === 'encoding').passed).toBe(true);
    expect(report.gatePassed).toBe(true);
    expect(report.checks.find((c: { id: string }) => c.id === 'classifier').passed).toBe(false);
    expect(report.auc).toBeGreaterThan(0.6);
    expect((await prisma.study.findUniqueOrThrow({ where: { id: study.id } })).status).toBe('DRAFT');
    expect(await prisma.assignment.count({ where: { studyId: study.id } })).toBe(0);
    const refused = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: study.id, action: 'study.open.refused' } });
    expect(refused.after).toMatchObject({ status: 'DRAFT', leakAudit: { passed: false } });
    // The studies list says why it is still a draft; so does a draft with nothing chosen yet.
    const empty = await createStudy({ name: 'Empty draft', config: { imagesPerReader: 10 }, poolIds: [], readerIds: [], createdById: null });
    const admin = { id: 'admin-viewer', role: 'ADMIN' as const };
    const rows = await studyList(admin);
    expect(rows.find((r) => r.id === study.id)).toMatchObject({ status: 'DRAFT', invited: 1, draftReason: expect.stringMatching(/^the leak audit refused it: Cross-validated AUC [0-9.]+ .*> the study's limit 0\.60/) });
    expect(rows.find((r) => r.id === empty.id)).toMatchObject({ status: 'DRAFT', invited: 0, draftReason: 'no image pool chosen' });
    // Edited after the refusal: the refusal no longer describes the draft.
    await updateDraft(study.id, { description: 'smoother synthetic images replaced' }, null);
    expect((await studyList(admin)).find((r) => r.id === study.id)?.draftReason).toBe('not opened yet');
  }, 120_000);
});
