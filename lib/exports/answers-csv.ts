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

const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: from here on toISOString writes a six-digit signed year. */
const YEAR_10000 = 253_402_300_800_000;
const COMMA = 0x2c;
const ZERO = 0x30;
const ascii = (text: string) => Buffer.from(text, 'latin1');
const CALL = { synthetic: ascii('SYNTHETIC,'), real: ascii('REAL,') };
const PHASE = { practice: ascii('PRACTICE,'), scored: ascii('SCORED,') };
/** Room for everything on a row but the reader's, the image's and the telemetry's cells. */
const ROW_FIXED_BYTES = 512;

/**
 * Writes answer rows as UTF-8 bytes straight into large buffers (hand-written: a million rows built
 * as JS strings and then encoded spend most of their time in the encoder and the garbage collector).
 * The rules are those of the column notes: integers as decimal digits, a missing number as an empty
 * cell, times as Date#toISOString writes them (the date part computed once per day), text through
 * csvCell.
 */
export class AnswerCsvWriter {
  private buffer: Buffer;
  private at = 0;
  private readonly done: Buffer[] = [];
  private readonly days = new Map<number, Buffer>();

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /**
   * One row: the reader's and the image's cells (from readerCells and imageCells, as UTF-8 bytes)
   * and the answer's own.
   */
  row(reader: Uint8Array, image: Uint8Array, imageIsSynthetic: boolean, a: AnswerCsvAnswer): void {
    const hasConfidence = Number.isFinite(a.confidence);
    const score = hasConfidence ? syntheticScore(a.callSynthetic, a.confidence) : NaN;
    const full = a.telemetry;
    const telemetry = csvCell(full.length > MAX_TELEMETRY_CHARS ? `${full.slice(0, MAX_TELEMETRY_CHARS)}…` : full);
    this.reserve(reader.length + image.length + ROW_FIXED_BYTES + 3 * telemetry.length);
    const b = this.buffer;
    b.set(reader, this.at);
    this.at += reader.length;
    b[this.at++] = COMMA;
    b.set(image, this.at);
    this.at += image.length;
    b[this.at++] = COMMA;
    this.bytes(a.callSynthetic ? CALL.synthetic : CALL.real);
    this.number(a.confidence);
    b[this.at++] = a.callSynthetic === imageIsSynthetic ? 0x31 : ZERO;
    b[this.at++] = COMMA;
    this.number(score);
    this.number(a.clientMs);
    this.number(a.serverMs);
    this.number(a.position);
    this.bytes(a.isPractice ? PHASE.practice : PHASE.scored);
    this.number(a.block);
    b[this.at++] = a.isRepeat ? 0x31 : ZERO;
    b[this.at++] = COMMA;
    this.iso(a.firstServedAt);
    b[this.at++] = COMMA;
    this.iso(a.answeredAt);
    b[this.at++] = COMMA;
    this.at += b.write(telemetry, this.at, 'utf8');
    b[this.at++] = 0x0d;
    b[this.at++] = 0x0a;
  }

  /** The bytes written since the last call, in one or more chunks. */
  take(): Buffer[] {
    if (this.at > 0) {
      this.done.push(this.buffer.subarray(0, this.at));
      this.buffer = this.buffer.length - this.at >= ROW_FIXED_BYTES * 16 ? this.buffer.subarray(this.at) : Buffer.allocUnsafe(this.chunkBytes);
      this.at = 0;
    }
    return this.done.splice(0);
  }

  private reserve(bytes: number) {
    if (this.at + bytes <= this.buffer.length) return;
    if (this.at > 0) this.done.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.at = 0;
  }

  private bytes(part: Uint8Array) {
    this.buffer.set(part, this.at);
    this.at += part.length;
  }

  /** A number and its comma: digits for a 32-bit integer, String(x) otherwise, nothing when not finite. */
  private number(x: number) {
    const b = this.buffer;
    if ((x | 0) === x) {
      let n = x;
      if (n < 0) {
        b[this.at++] = 0x2d;
        n = -n;
      }
      let end = this.at;
      for (let m = n; m >= 10; m = (m / 10) | 0) end++;
      this.at = end + 1;
      do {
        b[end--] = ZERO + (n % 10);
        n = (n / 10) | 0;
      } while (n > 0);
    } else if (Number.isFinite(x)) this.at += b.write(String(x), this.at, 'latin1');
    b[this.at++] = COMMA;
  }

  /** Epoch milliseconds as Date#toISOString writes them (which truncates a fraction), or nothing. */
  private iso(ms: number) {
    if (!Number.isFinite(ms)) return;
    const t = Math.trunc(ms);
    if (t < 0 || t >= YEAR_10000) {
      this.at += this.buffer.write(new Date(t).toISOString(), this.at, 'latin1');
      return;
    }
    const day = Math.floor(t / MS_PER_DAY);
    let date = this.days.get(day);
    if (!date) {
      date = ascii(new Date(day * MS_PER_DAY).toISOString().slice(0, 11));
      this.days.set(day, date);
    }
    this.bytes(date);
    const b = this.buffer;
    let rest = t - day * MS_PER_DAY;
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    const at = this.at;
    b[at] = ZERO + ((hours / 10) | 0);
    b[at + 1] = ZERO + (hours % 10);
    b[at + 2] = 0x3a;
    b[at + 3] = ZERO + ((minutes / 10) | 0);
    b[at + 4] = ZERO + (minutes % 10);
    b[at + 5] = 0x3a;
    b[at + 6] = ZERO + ((seconds / 10) | 0);
    b[at + 7] = ZERO + (seconds % 10);
    b[at + 8] = 0x2e;
    b[at + 9] = ZERO + ((millis / 100) | 0);
    b[at + 10] = ZERO + (((millis / 10) | 0) % 10);
    b[at + 11] = ZERO + (millis % 10);
    b[at + 12] = 0x5a;
    this.at = at + 13;
  }
}
