/**
 * Everything the coordinator dashboard and the JSON export show, computed from a study's answers
 * held as columns (StudyData): progress per reader, the study summary (lib/stats summarizeStudyColumns),
 * the confusion matrix, ROC curves per reader, the per-image fool rate, and MRMC OR–Hillis analyses
 * (overall, per modality, per generator checkpoint). Pure: no database, no framework. The MRMC analyses can
 * also be computed on their own (mrmcOfStudy), which is how the server runs them in a second thread.
 */
import {
  mrmcOrHillisRatings,
  rocCurve,
  summarizeStudyColumns,
  type MrmcResult,
  type RocPoint,
  type StudySummary,
} from '@/lib/stats';
import type { InterimReport } from './interim';
import type { LadderSummary } from './ladder-summary';
import { medianAt, repeatsLast, scoreOf, scoredOrder } from './first-answers';
import { largestCrossedDesign } from './mrmc-design';
import type { StudyAnswers, StudyData } from './types';

// Local copy: an imported binding can compile to a getter call on every use in the hot loops.
const score = scoreOf;

export interface ReaderProgress {
  pseudonym: string;
  name: string;
  email: string;
  assigned: number;
  done: number;
  isComplete: boolean;
  lastActivity: string | null;
  /**
   * Median answer time measured in the browser (first paint to answer, pauses left out), ms. The server's
   * time runs from the first serving of the bytes, which prefetching moves far ahead of the showing, so it is
   * exported per answer (server_ms) but not summarised.
   */
  medianClientMs: number | null;
}

export interface ConfusionMatrix {
  /** Synthetic images called synthetic. */
  syntheticCalledSynthetic: number;
  syntheticCalledReal: number;
  realCalledSynthetic: number;
  realCalledReal: number;
}

export interface FoolRateRow {
  imageId: string;
  caseId: string;
  modality: string;
  label: string;
  resolution: number;
  checkpoint: string | null;
  /** Readers who gave a scored first answer on the image. */
  readers: number;
  calledReal: number;
  /** Share of those readers who called the synthetic image real. */
  foolRate: number;
}

export interface MrmcAnalysis {
  scope: 'all' | 'modality' | 'checkpoint';
  /** The test's name: 'all', a modality, or a checkpoint. */
  test: string;
  /** Readers (pseudonyms) and cases in the crossed design analysed. */
  readers: string[];
  excludedReaders: string[];
  cases: { real: number; synthetic: number };
  result: MrmcResult | null;
  /** Why there is no result, when there is none. */
  note?: string;
}

export interface DashboardStats {
  study: StudyData['study'];
  generatedAt: string;
  progress: { readers: ReaderProgress[]; assigned: number; done: number };
  /** null until there is a scored answer. */
  summary: StudySummary | null;
  confusion: ConfusionMatrix;
  roc: Array<{ reader: string; auc: number | null; points: RocPoint[] }>;
  foolRate: FoolRateRow[];
  mrmc: { analyses: MrmcAnalysis[]; note: string | null };
  /** When to prefer the binomial/TOST results and when the MRMC analysis. */
  guidance: string;
  /** Planned interim looks and where the statistics stand (interim.ts); set by the store. */
  interim?: InterimReport;
  /** Per-rung accuracy, reader-averaged AUC and trend for a resolution-ladder study (ladder-summary.ts). */
  ladder?: LadderSummary;
}

export const GUIDANCE =
  'The binomial test and TOST ask whether these readers beat chance on these images, treating every answer as independent — use them for per-reader verdicts; the MRMC OR–Hillis analysis also treats readers and images as random samples and uses the confidence ratings, so prefer it for the general claim that radiologists cannot tell these synthetic images from real ones.';

/** Largest readers × images score matrix the MRMC step builds (8 bytes a cell). */
const MAX_MRMC_MATRIX = 25_000_000;

/** Opaque, stable case id of an image within a study (exports never show image ids). */
export type CaseIdOf = (imageIndex: number) => string;

export function computeDashboard(data: StudyData, caseIdOf: CaseIdOf, now = new Date()): DashboardStats {
  return dashboardOf(data, caseIdOf, now, (first, firstScores) => mrmcOfScores(data, first, firstScores));
}

/**
 * computeDashboard with the MRMC analyses computed elsewhere (another thread, parallel-mrmc.ts) from the same
 * data while this thread computes the rest: the same result, key for key.
 */
export async function computeDashboardBeside(
  data: StudyData,
  caseIdOf: CaseIdOf,
  now: Date,
  mrmc: Promise<DashboardStats['mrmc']>,
): Promise<DashboardStats> {
  const stats = dashboardOf(data, caseIdOf, now, () => null);
  return { ...stats, mrmc: await mrmc };
}

/** What the MRMC analyses read of a study (all a thread is sent): see mrmcOfStudy. */
export type MrmcInput = {
  answers: Pick<StudyAnswers, 'count' | 'reader' | 'image' | 'callSynthetic' | 'confidence' | 'isPractice' | 'isRepeat'>;
  images: Pick<StudyData['images'], 'count' | 'truthSynthetic' | 'modality' | 'modalities' | 'checkpoint' | 'checkpoints'>;
  readers: Array<Pick<StudyData['readers'][number], 'pseudonym'>>;
  study: { config: Pick<StudyData['study']['config'], 'alpha' | 'sameImagesForAllReaders'> };
};

/** The dashboard's MRMC analyses of a study on their own (what computeDashboard computes as its `mrmc`). */
export function mrmcOfStudy(data: MrmcInput): DashboardStats['mrmc'] {
  const first = firstScoredAnswers(data.answers);
  return mrmcOfScores(data, first, scoresAt(data.answers, first));
}

/** Indexes of the first scored answers (scoredOrder). */
function firstScoredAnswers(answers: MrmcInput['answers']): Int32Array {
  const { order, firstCount } = scoredOrder(answers);
  return order.subarray(0, firstCount);
}

/** Scores (syntheticScore, NaN without a confidence) of the answers at `indexes`. */
function scoresAt(answers: MrmcInput['answers'], indexes: Int32Array): Float64Array {
  const scores = new Float64Array(indexes.length);
  for (let i = 0; i < indexes.length; i++) scores[i] = score(answers, indexes[i]);
  return scores;
}

function dashboardOf<M>(
  data: StudyData,
  caseIdOf: CaseIdOf,
  now: Date,
  mrmcOf: (first: Int32Array, firstScores: Float64Array) => M,
): Omit<DashboardStats, 'mrmc'> & { mrmc: M } {
  const { answers, images, readers, study } = data;
  const first = firstScoredAnswers(answers);

  // Progress: every answer counts (practice too); times from all answers. Answers grouped by reader
  // with a counting sort (no array per reader of a million pushes).
  const R = readers.length;
  const byReader = groupByReader(answers.reader, R);
  const progress = readers.map((r, k): ReaderProgress => {
    const own = byReader.order.subarray(byReader.start[k], byReader.start[k + 1]);
    return {
      pseudonym: r.pseudonym,
      name: r.name,
      email: r.email,
      assigned: r.assigned,
      done: own.length,
      isComplete: r.assigned > 0 && own.length >= r.assigned,
      lastActivity: r.lastActivity,
      medianClientMs: medianAt(answers.clientMs, own),
    };
  });

  const confusion: ConfusionMatrix = { syntheticCalledSynthetic: 0, syntheticCalledReal: 0, realCalledSynthetic: 0, realCalledReal: 0 };
  for (let i = 0; i < first.length; i++) {
    const j = first[i];
    const syn = images.truthSynthetic[answers.image[j]];
    const call = answers.callSynthetic[j];
    if (syn) call ? confusion.syntheticCalledSynthetic++ : confusion.syntheticCalledReal++;
    else call ? confusion.realCalledSynthetic++ : confusion.realCalledReal++;
  }

  let summary: StudySummary | null = null;
  if (first.length > 0) {
    // Without repeats the answers are already in that order: no copies of million-entry columns.
    const all = answers.isRepeat.includes(1) ? repeatsLast(answers) : null;
    const inOrder = <T extends Int32Array | Uint8Array | Float64Array>(column: T): T => (all ? pick(column, all) : column);
    summary = summarizeStudyColumns(
      {
        readerIds: readers.map((r) => r.pseudonym),
        reader: inOrder(answers.reader),
        image: inOrder(answers.image),
        callSynthetic: inOrder(answers.callSynthetic),
        confidence: inOrder(answers.confidence),
        isPractice: inOrder(answers.isPractice),
        images: {
          count: images.count,
          truthSynthetic: images.truthSynthetic,
          modality: images.modality,
          modalities: images.modalities,
          labelSet: images.labelSet,
          labelSets: images.labelSets,
          resolution: images.resolution,
        },
      },
      { margin: study.config.margin, alpha: study.config.alpha },
    );
  }

  // Scores (syntheticScore, NaN without a confidence) of the first scored answers, computed once for
  // the ROC curves and the MRMC matrix.
  const firstScores = scoresAt(answers, first);
  const ratedBy = new Int32Array(R);
  for (let i = 0; i < first.length; i++) if (firstScores[i] === firstScores[i]) ratedBy[answers.reader[first[i]]]++;
  // Per reader: scores and truths of first scored answers with a confidence.
  const readerScores: number[][] = readers.map((_, k) => new Array<number>(ratedBy[k]));
  const readerTruth: Array<Array<0 | 1>> = readers.map((_, k) => new Array<0 | 1>(ratedBy[k]));
  const filled = new Int32Array(R);
  for (let i = 0; i < first.length; i++) {
    const s = firstScores[i];
    if (s !== s) continue;
    const j = first[i];
    const k = answers.reader[j];
    readerScores[k][filled[k]] = s;
    readerTruth[k][filled[k]++] = images.truthSynthetic[answers.image[j]] as 0 | 1;
  }
  const aucOf = new Map(summary?.readers.map((s) => [s.readerId, s.auc?.auc ?? null]));
  const roc = readers.map((r, k) => {
    const truth = readerTruth[k];
    const hasBoth = truth.includes(1) && truth.includes(0);
    const auc = aucOf.get(r.pseudonym) ?? null;
    return { reader: r.pseudonym, auc, points: hasBoth ? rocCurve(readerScores[k], truth) : [] };
  });

  const mrmc = mrmcOf(first, firstScores);

  const foolRate = foolRates(data, first, caseIdOf);
  return {
    study,
    generatedAt: now.toISOString(),
    progress: { readers: progress, assigned: readers.reduce((s, r) => s + r.assigned, 0), done: answers.count },
    summary,
    confusion,
    roc,
    foolRate,
    mrmc,
    guidance: GUIDANCE,
  };
}

/** Answer indexes grouped by reader (ascending within a reader): reader k's are order[start[k] … start[k + 1]). */
function groupByReader(reader: Int32Array, readerCount: number): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(readerCount + 1);
  for (let j = 0; j < reader.length; j++) start[reader[j] + 1]++;
  for (let k = 0; k < readerCount; k++) start[k + 1] += start[k];
  const next = start.slice(0, readerCount);
  const order = new Int32Array(reader.length);
  for (let j = 0; j < reader.length; j++) order[next[reader[j]]++] = j;
  return { order, start };
}

function pick<T extends Int32Array | Uint8Array | Float64Array>(column: T, order: Int32Array): T {
  const out = new (column.constructor as new (n: number) => T)(order.length);
  for (let i = 0; i < order.length; i++) out[i] = column[order[i]];
  return out;
}

function foolRates(data: StudyData, first: Int32Array, caseIdOf: CaseIdOf): FoolRateRow[] {
  const { images, answers } = data;
  const n = new Int32Array(images.count);
  const fooled = new Int32Array(images.count);
  for (let i = 0; i < first.length; i++) {
    const j = first[i];
    const g = answers.image[j];
    if (!images.truthSynthetic[g]) continue;
    n[g]++;
    if (!answers.callSynthetic[j]) fooled[g]++;
  }
  const rows: FoolRateRow[] = [];
  for (let g = 0; g < images.count; g++) {
    if (!images.truthSynthetic[g] || n[g] === 0) continue;
    rows.push({
      imageId: images.ids[g],
      caseId: caseIdOf(g),
      modality: images.modalities[images.modality[g]],
      label: images.labelSet[g] >= 0 ? images.labelSets[images.labelSet[g]] : '',
      resolution: images.resolution[g],
      checkpoint: images.checkpoint[g] >= 0 ? images.checkpoints[images.checkpoint[g]] : null,
      readers: n[g],
      calledReal: fooled[g],
      foolRate: fooled[g] / n[g],
    });
  }
  return rows.sort((a, b) => b.foolRate - a.foolRate || b.readers - a.readers || (a.caseId < b.caseId ? -1 : 1));
}

/** MRMC analyses from the first scored answers and their scores (computeDashboard's `mrmc`). */
function mrmcOfScores(data: MrmcInput, first: Int32Array, firstScores: Float64Array): DashboardStats['mrmc'] {
  const R = data.readers.length;
  const N = data.images.count;
  if (R * N > MAX_MRMC_MATRIX) {
    return { analyses: [], note: `Too many readers × images (${R} × ${N}) for the crossed MRMC design; export the iMRMC file and run it offline.` };
  }
  // Readers × images matrix of scores, NaN where a reader has not rated an image.
  const scoreMatrix = new Float64Array(R * N).fill(NaN);
  for (let i = 0; i < first.length; i++) {
    const j = first[i];
    scoreMatrix[data.answers.reader[j] * N + data.answers.image[j]] = firstScores[i];
  }
  return mrmcAnalyses(data, scoreMatrix);
}

function mrmcAnalyses(data: MrmcInput, scoreMatrix: Float64Array): DashboardStats['mrmc'] {
  const { images, readers } = data;
  const R = readers.length;
  const N = images.count;
  let withRatings = 0;
  for (let r = 0; r < R; r++) {
    for (let g = 0; g < N; g++) {
      if (scoreMatrix[r * N + g] === scoreMatrix[r * N + g]) {
        withRatings++;
        break;
      }
    }
  }
  if (withRatings < 2) return { analyses: [], note: 'MRMC needs confidence ratings from at least two readers.' };
  const scopes: Array<{ scope: MrmcAnalysis['scope']; test: string; inScope: Uint8Array }> = [
    { scope: 'all', test: 'all', inScope: new Uint8Array(N).fill(1) },
  ];
  if (images.modalities.length > 1) {
    images.modalities.forEach((m, code) => scopes.push({ scope: 'modality', test: m, inScope: Uint8Array.from(images.modality, (x) => (x === code ? 1 : 0)) }));
  }
  if (images.checkpoints.length > 1) {
    // Each generator as a test: its synthetic images against all real images of the modalities it made.
    images.checkpoints.forEach((name, code) => {
      const modalities = new Set<number>();
      for (let g = 0; g < N; g++) if (images.checkpoint[g] === code) modalities.add(images.modality[g]);
      const inScope = new Uint8Array(N);
      for (let g = 0; g < N; g++) inScope[g] = (images.truthSynthetic[g] ? images.checkpoint[g] === code : modalities.has(images.modality[g])) ? 1 : 0;
      scopes.push({ scope: 'checkpoint', test: name, inScope });
    });
  }
  const analyses = scopes.map(({ scope, test, inScope }): MrmcAnalysis => {
    const design = largestCrossedDesign(scoreMatrix, R, N, images.truthSynthetic, inScope);
    if (!design) {
      return { scope, test, readers: [], excludedReaders: [], cases: { real: 0, synthetic: 0 }, result: null, note: 'No two readers have rated the same two real and two synthetic images yet.' };
    }
    const ratings = design.readers.map((r) => {
      const row = new Float64Array(design.cases.length);
      for (let c = 0; c < design.cases.length; c++) row[c] = scoreMatrix[r * N + design.cases[c]];
      return row;
    });
    const truth = Uint8Array.from(design.cases, (g) => images.truthSynthetic[g]);
    const synthetic = truth.reduce((s, t) => s + t, 0);
    const base = {
      scope,
      test,
      readers: design.readers.map((r) => readers[r].pseudonym),
      excludedReaders: design.excludedReaders.map((r) => readers[r].pseudonym),
      cases: { real: truth.length - synthetic, synthetic },
    };
    try {
      const result = mrmcOrHillisRatings({ readers: base.readers, tests: [test], truth, ratings }, { cov: 'delong', confLevel: 1 - data.study.config.alpha });
      return { ...base, result };
    } catch (error) {
      return { ...base, result: null, note: error instanceof Error ? error.message : String(error) };
    }
  });
  const note = data.study.config.sameImagesForAllReaders
    ? null
    : 'Each reader read a sample of their own, so few images are shared; MRMC uses only images every included reader rated.';
  return { analyses, note };
}
