import { describe, expect, it } from 'vitest';
import { DASHBOARD_ANSWER, EXPORT_ANSWER, answerCodeSql, codeConfidence, codeHasCall, codeIsPractice, codeIsRepeat, codeIsSynthetic } from '@/lib/dashboard/answer-records';
import { getPgPool } from '@/lib/db/pg';

type Answer = {
  image: number;
  call: 'REAL' | 'SYNTHETIC' | null;
  phase: 'PRACTICE' | 'SCORED';
  isRepeat: boolean;
  confidence: number | null;
  clientMs: number | null;
  serverMs: number | null;
  position: number;
  block: number;
  createdAt: string;
  firstServedAt: string | null;
  serial: number;
};

/** In position order, as the queries aggregate them. */
const ANSWERS: Answer[] = [
  { image: 0, call: 'SYNTHETIC', phase: 'PRACTICE', isRepeat: false, confidence: 3, clientMs: 1234, serverMs: null, position: 0, block: 0, createdAt: '2026-12-07T10:00:00.125Z', firstServedAt: null, serial: 1 },
  { image: 41, call: 'REAL', phase: 'SCORED', isRepeat: true, confidence: null, clientMs: null, serverMs: 86_400_000, position: 1, block: 3, createdAt: '2026-12-07T10:00:01.000Z', firstServedAt: '2026-12-07T09:59:59.500Z', serial: 2 ** 40 + 3 },
  { image: 2_000_000, call: 'REAL', phase: 'SCORED', isRepeat: false, confidence: -1000, clientMs: 0, serverMs: 0, position: 2, block: 7, createdAt: '1999-12-31T23:59:59.999Z', firstServedAt: '2000-01-01T00:00:00.000Z', serial: 7 },
  { image: 5, call: 'SYNTHETIC', phase: 'SCORED', isRepeat: true, confidence: 1000, clientMs: 2_147_483_647, serverMs: 1, position: 99_999, block: 1, createdAt: '2026-01-01T00:00:00.000Z', firstServedAt: null, serial: 2 ** 53 - 1 },
  { image: 6, call: null, phase: 'SCORED', isRepeat: false, confidence: 2, clientMs: 10, serverMs: 20, position: 100_000, block: 1, createdAt: '2026-01-01T00:00:00.000Z', firstServedAt: null, serial: 9 },
];

/** Packs ANSWERS in PostgreSQL with a layout's own SQL, as the dashboard and export queries do. */
async function packed(sql: string): Promise<DataView> {
  const { rows } = await getPgPool().query<{ bytes: Buffer }>(
    `SELECT string_agg(${sql}, ''::bytea ORDER BY v.position) AS bytes
       FROM jsonb_to_recordset($1::jsonb) AS v(image int, call text, phase text, serial bigint, "isRepeat" boolean, confidence int,
            "clientMs" int, "serverMs" int, position int, block int, "createdAt" timestamptz, "firstServedAt" timestamptz)`,
    [JSON.stringify(ANSWERS)],
  );
  return new DataView(rows[0].bytes.buffer, rows[0].bytes.byteOffset, rows[0].bytes.byteLength);
}

const code = answerCodeSql({ call: 'v.call', phase: 'v.phase', isRepeat: 'v."isRepeat"', confidence: 'v.confidence' });

describe('packed answer records: what PostgreSQL packs, the decoder reads back (round trip)', () => {
  it('the dashboard layout', async () => {
    const view = await packed(
      DASHBOARD_ANSWER.packSql({ image: 'v.image', code, clientMs: 'coalesce(v."clientMs", -1)', serverMs: 'coalesce(v."serverMs", -1)', serial: 'v.serial' }),
    );
    expect(view.byteLength).toBe(ANSWERS.length * DASHBOARD_ANSWER.bytes);
    const at = DASHBOARD_ANSWER.offset;
    ANSWERS.forEach((a, r) => {
      const base = r * DASHBOARD_ANSWER.bytes;
      const c = view.getInt32(base + at.code);
      expect({
        image: view.getInt32(base + at.image),
        call: codeHasCall(c) ? (codeIsSynthetic(c) ? 'SYNTHETIC' : 'REAL') : null,
        phase: codeIsPractice(c) ? 'PRACTICE' : 'SCORED',
        isRepeat: codeIsRepeat(c) === 1,
        confidence: codeConfidence(c),
        clientMs: view.getInt32(base + at.clientMs),
        serverMs: view.getInt32(base + at.serverMs),
        serial: view.getFloat64(base + at.serial),
      }).toEqual({ image: a.image, call: a.call, phase: a.phase, isRepeat: a.isRepeat, confidence: a.confidence ?? NaN, clientMs: a.clientMs ?? -1, serverMs: a.serverMs ?? -1, serial: a.serial });
    });
  });

  it('the export layout', async () => {
    const view = await packed(
      EXPORT_ANSWER.packSql({
        image: 'v.image',
        code,
        clientMs: 'coalesce(v."clientMs", -1)',
        serverMs: 'coalesce(v."serverMs", -1)',
        serial: 'v.serial',
        position: 'v.position',
        block: 'v.block',
        answeredAt: 'extract(epoch FROM v."createdAt")::float8 * 1000',
        firstServedAt: `coalesce(extract(epoch FROM v."firstServedAt")::float8 * 1000, 'NaN'::float8)`,
      }),
    );
    expect(view.byteLength).toBe(ANSWERS.length * EXPORT_ANSWER.bytes);
    const at = EXPORT_ANSWER.offset;
    ANSWERS.forEach((a, r) => {
      const base = r * EXPORT_ANSWER.bytes;
      const c = view.getInt32(base + at.code);
      expect({
        image: view.getInt32(base + at.image),
        call: codeHasCall(c) ? (codeIsSynthetic(c) ? 'SYNTHETIC' : 'REAL') : null,
        confidence: codeConfidence(c),
        clientMs: view.getInt32(base + at.clientMs),
        serverMs: view.getInt32(base + at.serverMs),
        position: view.getInt32(base + at.position),
        block: view.getInt32(base + at.block),
        answeredAt: view.getFloat64(base + at.answeredAt),
        firstServedAt: view.getFloat64(base + at.firstServedAt),
      }).toEqual({
        image: a.image,
        call: a.call,
        confidence: a.confidence ?? NaN,
        clientMs: a.clientMs ?? -1,
        serverMs: a.serverMs ?? -1,
        position: a.position,
        block: a.block,
        answeredAt: Date.parse(a.createdAt),
        firstServedAt: a.firstServedAt === null ? NaN : Date.parse(a.firstServedAt),
      });
    });
  });

  it('the export record extends the dashboard record field for field', () => {
    for (const field of DASHBOARD_ANSWER.fields) expect(EXPORT_ANSWER.offset[field.name]).toBe(DASHBOARD_ANSWER.offset[field.name]);
    expect([DASHBOARD_ANSWER.bytes, EXPORT_ANSWER.bytes]).toEqual([24, 48]);
  });
});
