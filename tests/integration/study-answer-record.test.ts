import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_ANSWER, STORED_DASHBOARD_ANSWER_SQL, codeConfidence, codeHasCall, codeIsPractice, codeIsRepeat, codeIsSynthetic } from '@/lib/dashboard/answer-records';
import { applyMigrations, defaultMigrationsDir, listMigrations } from '@/lib/db/migrations';
import { getPrisma } from '@/lib/db/client';
import { getPgPool } from '@/lib/db/pg';
import { createLargeStudy } from '../../scripts/lib/large-study';
import { createDatabase, dropDatabase } from '../support/postgres';
import { headCt48Pool, makeReaders, openTestStudy } from '../support/open-study';
import { answerAsReader } from '../support/reading';

const RECORD_MIGRATION = '20261207203000_study_answer_record';
const adminUrl = () => new URL('/postgres', process.env.DATABASE_URL!).toString();

type Fields = { rank: number; call: string | null; phase: string; isRepeat: boolean; confidence: number | null; clientMs: number | null; serverMs: number | null; serial: number };

/**
 * Every first answer's fields straight from "Response", "AssignmentItem" and "StudyImage" (the image's rank counted
 * as the study's images with a smaller id), keyed by response id.
 */
async function expectedFields(client: pg.ClientBase): Promise<Map<string, Fields>> {
  const { rows } = await client.query(
    `SELECT r.id::text AS id, r.id::float8 AS serial, r.call::text AS call, i.phase::text AS phase, i."isRepeat", r.confidence, r."clientMs", r."serverMs",
            (SELECT count(*) FROM "StudyImage" s WHERE s."studyId" = a."studyId" AND s."imageId" < i."imageId")::int AS rank
       FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" JOIN "Assignment" a ON a.id = i."assignmentId"
      WHERE r.revision = 0`,
  );
  return new Map(rows.map((r) => [r.id, { rank: r.rank, call: r.call, phase: r.phase, isRepeat: r.isRepeat, confidence: r.confidence, clientMs: r.clientMs, serverMs: r.serverMs, serial: r.serial }]));
}

/** Every stored record, decoded, keyed by response id. */
async function storedFields(client: pg.ClientBase): Promise<Map<string, Fields>> {
  const { rows } = await client.query<{ id: string; record: Buffer }>(`SELECT "responseId"::text AS id, record FROM "StudyAnswer"`);
  const at = DASHBOARD_ANSWER.offset;
  return new Map(
    rows.map(({ id, record }) => {
      expect(record.length).toBe(DASHBOARD_ANSWER.bytes);
      const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
      const code = view.getInt32(at.code);
      const ms = (v: number) => (v === -1 ? null : v);
      const confidence = codeConfidence(code);
      return [
        id,
        {
          rank: view.getInt32(at.image),
          call: codeHasCall(code) ? (codeIsSynthetic(code) ? 'SYNTHETIC' : 'REAL') : null,
          phase: codeIsPractice(code) ? 'PRACTICE' : 'SCORED',
          isRepeat: codeIsRepeat(code) === 1,
          confidence: Number.isNaN(confidence) ? null : confidence,
          clientMs: ms(view.getInt32(at.clientMs)),
          serverMs: ms(view.getInt32(at.serverMs)),
          serial: view.getFloat64(at.serial),
        },
      ];
    }),
  );
}

async function expectStoredRecordsMatchTheirSources(client: pg.ClientBase, minimum: number) {
  const expected = await expectedFields(client);
  expect(expected.size).toBeGreaterThanOrEqual(minimum);
  expect(await storedFields(client)).toEqual(expected);
  // The images' stored ranks are the same count.
  const ranks = await client.query(
    `SELECT count(*)::int AS wrong FROM "StudyImage" si
      WHERE si."rank" IS DISTINCT FROM (SELECT count(*) FROM "StudyImage" s WHERE s."studyId" = si."studyId" AND s."imageId" < si."imageId")::int`,
  );
  expect(ranks.rows[0].wrong).toBe(0);
}

/** A practice item, a repeat and an answer without call, confidence or times, which the bulk study has none of, plus a later revision (not copied). */
async function addUnusualAnswers(client: pg.ClientBase) {
  await client.query(
    `INSERT INTO "AssignmentItem" (id, "assignmentId", position, "imageId", token, phase, block, "isRepeat") VALUES
       ('odd-1', 'bass-0000', 1000, 'bimg-0000003', 'odd-token-1', 'PRACTICE', 0, false),
       ('odd-2', 'bass-0001', 1001, 'bimg-0000007', 'odd-token-2', 'SCORED', 2, true)`,
  );
  await client.query(
    `INSERT INTO "Response" ("itemId", revision, call, confidence, "clientMs", "serverMs", "idempotencyKey") VALUES
       ('odd-1', 0, NULL, NULL, NULL, NULL, 'odd-a'),
       ('odd-2', 0, 'SYNTHETIC', 5, 12, NULL, 'odd-b'),
       ('odd-2', 1, 'REAL', 1, 13, 14, 'odd-c')`,
  );
}

describe('"StudyAnswer".record: the dashboard record stored with each first answer', () => {
  it('is backfilled by its migration for answers stored before it, ranks included', async () => {
    // Every migration before the record's, then a study answered the old way, then the rest.
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-before-'));
    const names = listMigrations().map((m) => m.name);
    expect(names).toContain(RECORD_MIGRATION);
    for (const name of names.filter((n) => n < RECORD_MIGRATION)) fs.cpSync(path.join(defaultMigrationsDir(), name), path.join(before, name), { recursive: true });
    const name = `rs_record_backfill_${crypto.randomBytes(4).toString('hex')}`;
    const url = await createDatabase(adminUrl(), name);
    const client = new pg.Client({ connectionString: url });
    try {
      await applyMigrations(url, before);
      await createLargeStudy(url, 3, 12);
      await client.connect();
      await addUnusualAnswers(client);
      expect((await client.query(`SELECT count(*)::int AS n FROM "StudyAnswer"`)).rows[0].n).toBe(38);
      await applyMigrations(url);
      await expectStoredRecordsMatchTheirSources(client, 38);
    } finally {
      await client.end().catch(() => undefined);
      await dropDatabase(adminUrl(), name);
      fs.rmSync(before, { recursive: true, force: true });
    }
  }, 120_000);

  it('is written by the answer trigger for a bulk insert, and a study with answers keeps its images', async () => {
    const name = `rs_record_trigger_${crypto.randomBytes(4).toString('hex')}`;
    const url = await createDatabase(adminUrl(), name);
    const client = new pg.Client({ connectionString: url });
    try {
      await applyMigrations(url);
      await createLargeStudy(url, 3, 12);
      await client.connect();
      await addUnusualAnswers(client);
      await expectStoredRecordsMatchTheirSources(client, 38);
      // Taking an image out and putting it back (one transaction, rolled back) is refused once there are answers.
      await client.query('BEGIN');
      await client.query(`DELETE FROM "StudyImage" WHERE "studyId" = 'bench-study-3x12' AND "imageId" = 'bimg-0000011'`);
      await expect(client.query(`INSERT INTO "StudyImage" ("studyId", "imageId", phase) VALUES ('bench-study-3x12', 'bimg-0000011', 'SCORED')`)).rejects.toThrow(
        /cannot change once it has answers/,
      );
      await client.query('ROLLBACK');
    } finally {
      await client.end().catch(() => undefined);
      await dropDatabase(adminUrl(), name);
    }
  }, 120_000);

  describe('in a study opened and answered through the app', () => {
    beforeAll(async () => {
      await applyMigrations(process.env.DATABASE_URL!);
    }, 120_000);

    it('matches its sources, practice and repeats included', async () => {
      const poolId = await headCt48Pool();
      const readers = await makeReaders(2, 'record');
      const { studyId, readers: opened } = await openTestStudy({ name: 'Stored records', config: { imagesPerReader: 6, practiceItems: 2, repeatedItems: 2, repeatMinGap: 1 }, poolIds: [poolId], readers });
      for (const [k, reader] of opened.entries()) {
        for (const item of reader.items) {
          await answerAsReader(reader.assignmentId, reader.id, {
            token: item.token,
            position: item.position,
            call: (item.position + k) % 3 === 0 ? 'REAL' : 'SYNTHETIC',
            confidence: 1 + ((item.position + k) % 5),
            clientMs: 500 + item.position,
            idempotencyKey: crypto.randomUUID(),
          });
        }
      }
      const total = opened.reduce((s, r) => s + r.items.length, 0);
      const items = await getPrisma().assignmentItem.findMany({ where: { assignment: { studyId } }, select: { phase: true, isRepeat: true } });
      expect(items.some((i) => i.phase === 'PRACTICE')).toBe(true);
      expect(items.some((i) => i.isRepeat)).toBe(true);
      const client = await getPgPool().connect();
      try {
        await expectStoredRecordsMatchTheirSources(client, total);
      } finally {
        client.release();
      }
    }, 180_000);

    it('the installed trigger packs the record with the SQL that answer-records.ts defines', async () => {
      const { rows } = await getPgPool().query<{ source: string }>(`SELECT prosrc AS source FROM pg_proc WHERE proname = 'study_answer_copy'`);
      const squeeze = (sql: string) => sql.replace(/\s+/g, ' ');
      expect(rows).toHaveLength(1);
      expect(squeeze(rows[0].source)).toContain(squeeze(STORED_DASHBOARD_ANSWER_SQL));
    });
  });
});
