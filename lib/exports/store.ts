import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PoolClient } from 'pg';
import yazl from 'yazl';
import { caseIds } from '@/lib/studies/case-ids';
import { audit } from '@/lib/audit';
import { getPgPool } from '@/lib/db/pg';
import { AnswerCsvWriter, answersCsvHeader, imageCells, readerCells } from './answers-csv';
import { csvLine } from './csv';
import { formatImrmc } from './imrmc';
import { mrmcExportRecords } from './mrmc-records';
import { bundleReadme, exportFileNames } from './readme';
import { parseStudyConfig } from '@/lib/studies';
import { exportableSummary, statsOfStudyData } from '@/lib/dashboard/store';
import type { DashboardStats } from '@/lib/dashboard/compute';
import type { StudyData } from '@/lib/dashboard/types';
import { EXPORT_ANSWER, answerCodeSql, codeConfidence, codeIsPractice, codeIsRepeat, codeIsSynthetic } from '@/lib/dashboard/answer-records';
import { loadStudyData } from '@/lib/dashboard/study-data';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { latestTwoSampleJob, latestUtilityVerdicts, type MachineVerdict } from '@/lib/jobs/kinds';

/**
 * The study exports (COORDINATOR and ADMIN only; the routes check): the tidy answers CSV, streamed
 * with constant memory (keyset pages of the study's answer table, one reader at a time, each page
 * packed into one binary record buffer and written as bytes); the JSON summary (every dashboard statistic and the full MRMC result); the
 * iMRMC and MRMCaov inputs; and a zip of all of them with a README. Every file carries the protocol
 * hash. Readers are pseudonyms and images opaque case ids throughout.
 */
export type ExportFormat = 'csv' | 'json' | 'imrmc' | 'mrmcaov' | 'bundle';

const PAGE_ROWS = 20_000;
const RECORD = EXPORT_ANSWER;
const AT = RECORD.offset;
const encoder = new TextEncoder();

/** What every export needs about a study, loaded once per download and passed to each format. */
export type ExportStudy = {
  id: string;
  name: string;
  secret: string;
  configHash: string | null;
  config: ReturnType<typeof parseStudyConfig>;
  assignments: Array<{ id: string; seed: string; pseudonym: string }>;
  images: { ids: string[]; caseIds: string[]; truthSynthetic: boolean[]; modality: string[]; label: string[]; resolution: number[] };
};

export async function loadExportStudy(studyId: string): Promise<ExportStudy> {
  const pool = getPgPool();
  const study = await pool.query(`SELECT id, name, secret, status::text AS status, "configHash", config FROM "Study" WHERE id = $1`, [studyId]);
  if (study.rowCount === 0) throw new NotFoundError('No such study.');
  const s = study.rows[0];
  if (s.status === 'DRAFT') throw new ConflictError('A draft has no answers to export; open the study first.');
  const [assignments, images] = await Promise.all([
    pool.query<{ id: string; seed: string }>(`SELECT id, seed FROM "Assignment" WHERE "studyId" = $1 ORDER BY "readerId"`, [studyId]),
    pool.query<{ id: string; origin: string; modality: string; labels: string[]; width: number }>(
      `SELECT im.id, im.origin::text AS origin, im.modality::text AS modality, im.labels, im.width
         FROM "StudyImage" si JOIN "Image" im ON im.id = si."imageId" WHERE si."studyId" = $1 ORDER BY si."imageId"`,
      [studyId],
    ),
  ]);
  const ids = images.rows.map((r) => r.id);
  return {
    id: s.id,
    name: s.name,
    secret: s.secret,
    configHash: s.configHash,
    config: parseStudyConfig(s.config),
    assignments: assignments.rows.map((a, k) => ({ id: a.id, seed: a.seed, pseudonym: `R${String(k + 1).padStart(2, '0')}` })),
    images: {
      ids,
      caseIds: caseIds(s.secret, ids),
      truthSynthetic: images.rows.map((r) => r.origin === 'SYNTHETIC'),
      modality: images.rows.map((r) => r.modality),
      label: images.rows.map((r) => [...new Set(r.labels)].sort().join('|')),
      resolution: images.rows.map((r) => r.width),
    },
  };
}

/**
 * One page of one reader's answers after `afterPosition`, as packed records, image ids and telemetry
 * texts: a range of the study's answer table in position order (its (assignmentId, position) index), with
 * no lookup per answer. The aggregates take the rows in the order the subquery yields them, one order for
 * all three (they are fed the same rows in turn); the caller checks that positions ascend.
 */
async function answerPage(client: PoolClient, assignmentId: string, afterPosition: number) {
  const { rows } = await client.query<{ fixed: Buffer | null; images: string | null; telemetry: string | null; n: number }>({
    name: 'export-answer-page',
    text: `SELECT count(*)::int AS n,
            string_agg(
              ${RECORD.packSql({
                image: '0',
                code: answerCodeSql({ call: 'p.call', phase: 'p.phase', isRepeat: 'p."isRepeat"', confidence: 'p.confidence' }),
                clientMs: 'coalesce(p."clientMs", -1)',
                serverMs: 'coalesce(p."serverMs", -1)',
                serial: 'p."responseId"',
                position: 'p.position',
                block: 'p.block',
                // date_part is float8 (extract is numeric): the same value, without numeric arithmetic.
                answeredAt: `date_part('epoch', p."createdAt") * 1000`,
                firstServedAt: `coalesce(date_part('epoch', p."firstServedAt") * 1000, 'NaN'::float8)`,
              })},
              ''::bytea) AS fixed,
            string_agg(p."imageId", E'\\x1e') AS images,
            string_agg(coalesce(p.telemetry, ''), E'\\x1e') AS telemetry
       FROM (SELECT * FROM "StudyAnswer" WHERE "assignmentId" = $1 AND position > $2 ORDER BY position LIMIT $3) p`,
    values: [assignmentId, afterPosition, PAGE_ROWS],
  });
  return rows[0];
}

/** The tidy answers CSV as a byte stream; pulls one page at a time, so memory stays flat. */
export async function answersCsvStream(study: ExportStudy): Promise<ReadableStream<Uint8Array>> {
  const hash = study.configHash ?? '';
  let reader = 0;
  let afterPosition = -1;
  let client: PoolClient | null = null;
  let prefetched: ReturnType<typeof answerPage> | null = null;
  const writer = new AnswerCsvWriter();
  const imageRank = new Map(study.images.ids.map((id, g) => [id, g]));
  const imageParts = study.images.ids.map((_, g) =>
    Buffer.from(
      imageCells({ caseId: study.images.caseIds[g], truthSynthetic: study.images.truthSynthetic[g], modality: study.images.modality[g], label: study.images.label[g], resolution: study.images.resolution[g] }),
      'utf8',
    ),
  );
  // A connection lost while the download is open (database restart, failover) fails this download only: without
  // a listener, pg raises the checked-out client's error as an uncaught exception and the process goes down.
  let lost: Error | null = null;
  const onLost = (error: Error) => {
    lost = error;
    console.error(`[exports] database connection lost during a CSV download: ${error.message}`);
  };
  const release = async (commit: boolean) => {
    const c = client;
    client = null;
    if (!c) return;
    if (!lost) await c.query(commit ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
    c.removeListener('error', onLost);
    c.release(lost ?? undefined);
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      // One snapshot for the whole file, however long the download takes and whatever is answered meanwhile.
      client = await getPgPool().connect();
      client.on('error', onLost);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
      controller.enqueue(encoder.encode(answersCsvHeader()));
    },
    async cancel() {
      await release(false);
    },
    async pull(controller) {
      while (reader < study.assignments.length) {
        const assignment = study.assignments[reader];
        let page;
        try {
          page = await (prefetched ?? answerPage(client!, assignment.id, afterPosition));
        } catch (error) {
          await release(false);
          throw error;
        } finally {
          prefetched = null;
        }
        if (!page.fixed || page.n === 0) {
          reader++;
          afterPosition = -1;
          continue;
        }
        const view = new DataView(page.fixed.buffer, page.fixed.byteOffset, page.fixed.byteLength);
        const previousPosition = afterPosition;
        // Ask for the next page now, so the database works on it while this one is formatted.
        if (page.n < PAGE_ROWS) {
          reader++;
          afterPosition = -1;
        } else afterPosition = view.getInt32((page.n - 1) * RECORD.bytes + AT.position);
        if (reader < study.assignments.length) {
          prefetched = answerPage(client!, study.assignments[reader].id, afterPosition);
          prefetched.catch(() => undefined);
        }
        const images = page.images!.split('\x1e');
        const telemetry = (page.telemetry ?? '').split('\x1e');
        const readerPart = Buffer.from(readerCells(hash, assignment.pseudonym, assignment.seed), 'utf8');
        let lastPosition = previousPosition;
        for (let r = 0; r < page.n; r++) {
          const at = r * RECORD.bytes;
          const g = imageRank.get(images[r]);
          if (g === undefined) continue; // an image no longer in the study has no row (as the study's image list has it)
          const code = view.getInt32(at + AT.code);
          const clientMs = view.getInt32(at + AT.clientMs);
          const serverMs = view.getInt32(at + AT.serverMs);
          const position = view.getInt32(at + AT.position);
          if (position <= lastPosition) {
            await release(false);
            throw new Error(`answers CSV: page out of position order (${position} after ${lastPosition})`);
          }
          lastPosition = position;
          writer.row(readerPart, imageParts[g], study.images.truthSynthetic[g], {
            callSynthetic: codeIsSynthetic(code) === 1,
            confidence: codeConfidence(code),
            clientMs: clientMs < 0 ? NaN : clientMs,
            serverMs: serverMs < 0 ? NaN : serverMs,
            position,
            isPractice: codeIsPractice(code) === 1,
            block: view.getInt32(at + AT.block),
            isRepeat: codeIsRepeat(code) === 1,
            answeredAt: view.getFloat64(at + AT.answeredAt),
            firstServedAt: view.getFloat64(at + AT.firstServedAt),
            telemetry: telemetry[r] ?? '',
          });
        }
        for (const chunk of writer.take()) controller.enqueue(chunk);
        return;
      }
      await release(true);
      controller.close();
    },
  });
}

function mrmcRecordsOf(study: ExportStudy, data: StudyData) {
  const ids = caseIds(study.secret, data.images.ids);
  return mrmcExportRecords(data, (g) => ids[g]);
}

/** `data` is the study's columnar load (loadStudyData), passed in so that a bundle loads it once. */
export function imrmcText(study: ExportStudy, data: StudyData): string {
  const records = mrmcRecordsOf(study, data);
  const truths = new Map<string, 0 | 1>();
  for (const r of records) truths.set(r.case, r.truth);
  return formatImrmc({
    title: `Reader study "${study.name}" (${study.id}), protocol hash ${study.configHash}; truth 1 = synthetic, score = confidence the image is synthetic`,
    truths: [...truths].map(([caseId, truth]) => ({ caseId, truth })),
    scores: records.map((r) => ({ readerId: r.reader, caseId: r.case, modalityId: r.treatment, score: r.rating })),
  });
}

export function mrmcaovCsv(study: ExportStudy, data: StudyData): string {
  const records = mrmcRecordsOf(study, data);
  const lines = [csvLine(['reader', 'treatment', 'case', 'truth', 'rating', 'protocol_hash'])];
  for (const r of records) lines.push(csvLine([r.reader, r.treatment, r.case, r.truth, r.rating, study.configHash]));
  return lines.join('');
}

export async function summaryJson(study: ExportStudy, data: StudyData): Promise<string> {
  return summaryJsonOf(study, await statsOfStudyData(data, study.secret));
}

async function summaryJsonOf(study: ExportStudy, stats: DashboardStats): Promise<string> {
  const machine = await machineSummary(study.id);
  return JSON.stringify(
    {
      format: 'reader-study summary v1',
      protocolHash: study.configHash,
      configuration: study.config,
      ...exportableSummary(stats),
      machine,
    },
    (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? (Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity') : value),
    2,
  );
}

/**
 * "Can a machine tell?" on the study's images (the latest finished two-sample test) and, for each
 * generator whose images the study holds, its latest train-on-synthetic/test-on-real result.
 */
async function machineSummary(studyId: string) {
  const [twoSample, checkpoints] = await Promise.all([
    latestTwoSampleJob({ studyId }, 'SUCCEEDED'),
    getPgPool().query<{ checkpointId: string }>(
      `SELECT DISTINCT b."checkpointId" FROM "StudyImage" si JOIN "Image" i ON i.id = si."imageId" JOIN "Batch" b ON b.id = i."batchId"
        WHERE si."studyId" = $1 AND b."checkpointId" IS NOT NULL`,
      [studyId],
    ),
  ]);
  const utility = await latestUtilityVerdicts(checkpoints.rows.map((r) => r.checkpointId));
  return {
    twoSampleTest: (twoSample?.result as MachineVerdict | null) ?? null,
    trainOnSyntheticTestOnReal: [...utility.values()],
  };
}

/** A zip with every export and a README; the answers CSV is streamed into it. */
export async function bundleStream(study: ExportStudy): Promise<ReadableStream<Uint8Array>> {
  const names = exportFileNames(study.id, study.configHash);
  const data = await loadStudyData(study.id);
  const stats = await statsOfStudyData(data, study.secret);
  const json = await summaryJsonOf(study, stats);
  const imrmc = imrmcText(study, data);
  const mrmcaov = mrmcaovCsv(study, data);
  const csv = await answersCsvStream(study);
  const zip = new yazl.ZipFile();
  const interim = stats.interim!;
  const readme = bundleReadme({ studyId: study.id, studyName: study.name, protocolHash: study.configHash, generatedAt: new Date().toISOString(), config: study.config, interim });
  zip.addBuffer(Buffer.from(readme), `${names.stem}/README.txt`);
  zip.addReadStream(Readable.fromWeb(csv as unknown as WebReadableStream<Uint8Array>), `${names.stem}/${names.answers}`);
  zip.addBuffer(Buffer.from(json), `${names.stem}/${names.summary}`);
  zip.addBuffer(Buffer.from(imrmc), `${names.stem}/${names.imrmc}`);
  zip.addBuffer(Buffer.from(mrmcaov), `${names.stem}/${names.mrmcaov}`);
  zip.end();
  return Readable.toWeb(zip.outputStream as Readable) as unknown as ReadableStream<Uint8Array>;
}

/**
 * What a download response needs: the body, its type and name; the export is written to the audit
 * log. The study is loaded once here (and its answers at most once, for the bundle) and passed on.
 */
export async function exportDownload(studyId: string, format: ExportFormat, actorId: string) {
  const study = await loadExportStudy(studyId);
  const names = exportFileNames(study.id, study.configHash);
  await audit({ actorId, action: 'study.export', targetType: 'Study', targetId: studyId, after: { format, protocolHash: study.configHash } });
  switch (format) {
    case 'csv':
      return { body: await answersCsvStream(study), type: 'text/csv; charset=utf-8', name: names.answers, hash: study.configHash };
    case 'json':
      return { body: await summaryJson(study, await loadStudyData(studyId)), type: 'application/json; charset=utf-8', name: names.summary, hash: study.configHash };
    case 'imrmc':
      return { body: imrmcText(study, await loadStudyData(studyId)), type: 'text/plain; charset=utf-8', name: names.imrmc, hash: study.configHash };
    case 'mrmcaov':
      return { body: mrmcaovCsv(study, await loadStudyData(studyId)), type: 'text/csv; charset=utf-8', name: names.mrmcaov, hash: study.configHash };
    case 'bundle':
      return { body: await bundleStream(study), type: 'application/zip', name: names.bundle, hash: study.configHash };
  }
}
