/**
 * Answers leave PostgreSQL packed as fixed-size binary records (string_agg of int4send/float8send: one
 * bytea per reader or page instead of a row object per answer) and are decoded with a DataView. Each
 * record layout is defined once, here: the SQL that packs it and the offsets that decode it both come
 * from the same field list, so the two cannot drift apart. Fields are big-endian (PostgreSQL's send
 * format): int4 takes 4 bytes, float8 takes 8.
 */
type FieldType = 'int4' | 'float8';

export interface RecordLayout<N extends string> {
  readonly fields: ReadonlyArray<{ name: N; type: FieldType }>;
  /** Bytes per record. */
  readonly bytes: number;
  /** Byte offset of each field within a record. */
  readonly offset: Readonly<Record<N, number>>;
  /** The SQL expression that packs one record, given one SQL expression per field. */
  packSql(expressions: Readonly<Record<N, string>>): string;
}

const SIZE: Record<FieldType, number> = { int4: 4, float8: 8 };

export function recordLayout<const N extends string>(fields: ReadonlyArray<{ name: N; type: FieldType }>): RecordLayout<N> {
  const offset = {} as Record<N, number>;
  let bytes = 0;
  for (const field of fields) {
    offset[field.name] = bytes;
    bytes += SIZE[field.type];
  }
  return {
    fields,
    bytes,
    offset,
    packSql: (expressions) => fields.map((f) => `${f.type}send((${expressions[f.name]})::${f.type})`).join('\n || '),
  };
}

/**
 * The answer code: one int4 holding the call (bit 0: SYNTHETIC), the phase (bit 1: PRACTICE), the repeat
 * flag (bit 2), whether there is a call at all (bit 3) and the confidence (bits 4 and up: confidence +
 * CONFIDENCE_OFFSET; 0 when none).
 */
export const CONFIDENCE_OFFSET = 1 << 16;

/** SQL for the answer code from SQL expressions for a Response's call and confidence and its item's phase and repeat flag. */
export function answerCodeSql(columns: { call: string; phase: string; isRepeat: string; confidence: string }): string {
  return `(CASE WHEN ${columns.call} = 'SYNTHETIC' THEN 1 ELSE 0 END)
        | (CASE WHEN ${columns.phase} = 'PRACTICE' THEN 2 ELSE 0 END)
        | (CASE WHEN ${columns.isRepeat} THEN 4 ELSE 0 END)
        | (CASE WHEN ${columns.call} IS NULL THEN 0 ELSE 8 END)
        | (CASE WHEN ${columns.confidence} IS NULL THEN 0 ELSE (${columns.confidence} + ${CONFIDENCE_OFFSET}) << 4 END)`;
}

export const codeIsSynthetic = (code: number) => code & 1;
export const codeIsPractice = (code: number) => (code >> 1) & 1;
export const codeIsRepeat = (code: number) => (code >> 2) & 1;
export const codeHasCall = (code: number) => (code >> 3) & 1;
/** The confidence, or NaN when the answer has none. */
export const codeConfidence = (code: number) => (code >> 4 === 0 ? NaN : (code >> 4) - CONFIDENCE_OFFSET);

/**
 * The dashboard's record (study-data.ts): image (its rank among the study's images), answer code, client
 * and server milliseconds (−1 when unknown), and the response id (the order the server stored answers in,
 * which interim looks count by; float8 holds ids up to 2^53 exactly).
 */
export const DASHBOARD_ANSWER = recordLayout([
  { name: 'image', type: 'int4' },
  { name: 'code', type: 'int4' },
  { name: 'clientMs', type: 'int4' },
  { name: 'serverMs', type: 'int4' },
  { name: 'serial', type: 'float8' },
]);

/**
 * The answers CSV's record (lib/exports/store.ts): the dashboard's fields, then position and block in the
 * reader's sequence, and when the answer was stored and its image first served (epoch ms; NaN when never).
 * The export packs 0 as the image (its pages carry image ids beside the records instead).
 */
export const EXPORT_ANSWER = recordLayout([
  ...DASHBOARD_ANSWER.fields,
  { name: 'position', type: 'int4' },
  { name: 'block', type: 'int4' },
  { name: 'answeredAt', type: 'float8' },
  { name: 'firstServedAt', type: 'float8' },
]);

/**
 * The dashboard's record as the database stores it with each first answer ("StudyAnswer".record, written by the
 * trigger function study_answer_copy of migration study_answer_record, where r is the new response, i its item and
 * si the item's study image), so the dashboard reads records instead of packing a million of them per load.
 * The migration's function holds this text; tests/integration/answer-records.test.ts checks the installed
 * function against it, so a change of layout here fails until a migration stores the new one.
 */
export const STORED_DASHBOARD_ANSWER_SQL = DASHBOARD_ANSWER.packSql({
  image: 'si."rank"',
  code: answerCodeSql({ call: 'r.call', phase: 'i.phase', isRepeat: 'i."isRepeat"', confidence: 'r.confidence' }),
  clientMs: 'coalesce(r."clientMs", -1)',
  serverMs: 'coalesce(r."serverMs", -1)',
  serial: 'r.id',
});
