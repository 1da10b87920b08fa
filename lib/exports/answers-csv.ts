import { csvCell, csvLine } from './csv';
import { syntheticScore } from '@/lib/stats';

/**
 * The tidy answers CSV: one row per stored answer (see the bundle README for each column).
 * Columns are grouped so that what is fixed per reader and per image is escaped once and reused:
 * a million rows are then mostly number formatting, not string work.
 */
export const ANSWER_COLUMNS = [
  'protocol_hash',
  'reader',
  'seed',
  'case',
  'truth',
  'modality',
  'label',
  'resolution',
  'call',
  'confidence',
  'correct',
  'synthetic_score',
  'client_ms',
  'server_ms',
  'position',
  'phase',
  'block',
  'is_repeat',
  'first_served_at',
  'answered_at',
  'telemetry',
] as const;

export interface AnswerCsvImage {
  caseId: string;
  truthSynthetic: boolean;
  modality: string;
  label: string;
  resolution: number;
}

export interface AnswerCsvAnswer {
  callSynthetic: boolean;
  /** NaN when none. */
  confidence: number;
  /** NaN when unknown. */
  clientMs: number;
  serverMs: number;
  position: number;
  isPractice: boolean;
  block: number;
  isRepeat: boolean;
  /** Epoch ms; NaN when unknown. */
  firstServedAt: number;
  answeredAt: number;
  /** Compact JSON as recorded, or ''. */
  telemetry: string;
}

const MAX_TELEMETRY_CHARS = 2000;
const num = (x: number) => (Number.isFinite(x) ? String(x) : '');
const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');

export function answersCsvHeader(): string {
  return csvLine([...ANSWER_COLUMNS]);
}

/** protocol_hash, reader, seed — the same on every row of a reader. */
export function readerCells(protocolHash: string, pseudonym: string, seed: string): string {
  return `${csvCell(protocolHash)},${csvCell(pseudonym)},${csvCell(seed)}`;
}

/** case, truth, modality, label, resolution — the same on every row of an image. */
export function imageCells(image: AnswerCsvImage): string {
  return `${csvCell(image.caseId)},${image.truthSynthetic ? 'SYNTHETIC' : 'REAL'},${csvCell(image.modality)},${csvCell(image.label)},${num(image.resolution)}`;
}

/** One row: the reader's and the image's cells (from the functions above) and the answer's own. */
export function answerCsvLine(reader: string, image: string, imageIsSynthetic: boolean, a: AnswerCsvAnswer): string {
  const hasConfidence = Number.isFinite(a.confidence);
  const score = hasConfidence ? syntheticScore(a.callSynthetic, a.confidence) : NaN;
  const telemetry = a.telemetry.length > MAX_TELEMETRY_CHARS ? `${a.telemetry.slice(0, MAX_TELEMETRY_CHARS)}…` : a.telemetry;
  return (
    `${reader},${image},${a.callSynthetic ? 'SYNTHETIC' : 'REAL'},${num(a.confidence)},${a.callSynthetic === imageIsSynthetic ? 1 : 0},${num(score)},` +
    `${num(a.clientMs)},${num(a.serverMs)},${a.position},${a.isPractice ? 'PRACTICE' : 'SCORED'},${a.block},${a.isRepeat ? 1 : 0},` +
    `${iso(a.firstServedAt)},${iso(a.answeredAt)},${csvCell(telemetry)}\r\n`
  );
}
