import { ascendingOrder } from './ascending-order';
import { binomialTest } from './binomial-test';
import { clopperPearsonUnchecked } from './clopper-pearson';
import { cochranArmitageTrend, type TrendTestResult } from './cochran-armitage';
import { DeLongGroups, type AucEstimate } from './delong';
import { holm } from './holm';
import { cohenKappa, fleissFromTotals, type FleissKappaResult } from './kappa';
import {
  CALL_SYNTHETIC as CALL_SYNTHETIC_FLAG,
  encodeStudy,
  encodeStudyColumns,
  TRUTH_SYNTHETIC as TRUTH_SYNTHETIC_FLAG,
  type EncodedStudy,
  type StudyColumns,
  type StudyResponse,
} from './study-encode';
import { checkTostSettings, tostUnchecked, type TostResult } from './tost';
import type { Interval } from './types';
import { assertArray, assertOpenUnit } from './validate';

export type { StudyColumns, StudyResponse } from './study-encode';

export interface SummarizeStudyOptions {
  /** Equivalence margin around p0 for the TOST; no TOST without it. */
  margin?: number;
  /** Level of every test; intervals are at 1 − alpha (TOST interval at 1 − 2·alpha). Default 0.05. */
  alpha?: number;
  /** Accuracy under the null hypothesis "readers cannot tell"; default 0.5. */
  p0?: number;
}

/** A proportion with its Clopper–Pearson interval at 1 − alpha. */
export interface ProportionEstimate {
  k: number;
  n: number;
  estimate: number;
  ci: Interval;
}

export interface GroupSummary {
  /** Scored first answers in the group. */
  n: number;
  correct: number;
  accuracy: number;
  /** Exact two-sided binomial test of accuracy = p0. */
  pValue: number;
  /** Clopper–Pearson interval of the accuracy at 1 − alpha. */
  ci: Interval;
  /** Synthetic images called synthetic; null when the group has no synthetic image. */
  sensitivity: ProportionEstimate | null;
  /** Real images called real; null when the group has no real image. */
  specificity: ProportionEstimate | null;
  /** Equivalence of accuracy to p0 within ±margin; null without a margin. */
  tost: TostResult | null;
  /** ROC AUC of syntheticScore over answers with a confidence; null unless both truths have one. */
  auc: (AucEstimate & { nSynthetic: number; nReal: number }) | null;
}

export interface AgreementSummary {
  /** (first answer, repeat) pairs of one reader on one image. */
  pairs: number;
  /** Share of pairs with the same call. */
  agreement: number;
  /** Cohen's kappa between first and repeated calls; NaN when every call was the same. */
  kappa: number;
}

export interface ReaderSummary extends GroupSummary {
  readerId: string;
  /** Holm-adjusted pValue across readers. */
  pValueHolm: number;
  /** Intra-reader agreement on repeated images; null when the reader had none. */
  repeatAgreement: AgreementSummary | null;
}

export interface StudySummary {
  settings: { p0: number; alpha: number; confLevel: number; margin: number | null };
  counts: {
    responses: number;
    practiceExcluded: number;
    repeatsExcluded: number;
    /** Answers analysed: first scored answer of each reader on each image. */
    analysed: number;
    readers: number;
    images: number;
  };
  pooled: GroupSummary;
  /** Sorted by readerId. */
  readers: ReaderSummary[];
  /** Sorted by name; empty when no answer has that attribute. */
  byModality: Array<GroupSummary & { modality: string }>;
  byLabel: Array<GroupSummary & { label: string }>;
  /** Ascending resolution. */
  byResolution: Array<GroupSummary & { resolution: number }>;
  /** Fleiss' kappa of the calls on images every reader read; null with < 2 readers or no such image. */
  fleiss: (FleissKappaResult & { images: number; readers: number }) | null;
  /**
   * Cochran–Armitage trend of accuracy over the resolutions, ranked ascending and scored 0, 1, 2, …
   * (equal steps per level, not pixels: sizes usually double, so ranks act as a log scale); null
   * with fewer than two resolutions.
   */
  resolutionTrend: (TrendTestResult & { resolutions: number[] }) | null;
  /** Intra-reader agreement pooled over readers; null without repeats. */
  repeatAgreement: AgreementSummary | null;
}

// Local copies: an imported binding can compile to a getter call, which costs ~0.2 s per 10^6 answers in the hot loops.
const TRUTH_SYNTHETIC = TRUTH_SYNTHETIC_FLAG;
const CALL_SYNTHETIC = CALL_SYNTHETIC_FLAG;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Group codes: 0 pooled, then readers, modalities, labels, resolutions, each in code order. */
interface Layout {
  reader: number;
  modality: number;
  label: number;
  resolution: number;
  total: number;
}

/** Writes the groups of answer j into out; returns how many. */
function groupsOf(enc: EncodedStudy, lay: Layout, j: number, out: Int32Array): number {
  let c = 0;
  out[c++] = 0;
  out[c++] = lay.reader + enc.reader[j];
  const mod = enc.modality[j];
  if (mod >= 0) out[c++] = lay.modality + mod;
  const set = enc.labelSet[j];
  if (set >= 0) {
    const labels = enc.labelSets[set];
    for (let t = 0; t < labels.length; t++) out[c++] = lay.label + labels[t];
  }
  const res = enc.resolution[j];
  if (res >= 0) out[c++] = lay.resolution + res;
  return c;
}

/**
 * Summary of a blinded real-vs-synthetic reader study: per reader, pooled, and per modality,
 * label and resolution, the accuracy with the exact binomial test against chance and its
 * Clopper–Pearson interval, sensitivity (synthetic called synthetic) and specificity (real called
 * real), the TOST for equivalence to chance when a margin is given, and the ROC AUC (DeLong SE)
 * of `syntheticScore` where confidence was recorded; Holm-adjusted reader p-values; Fleiss' kappa
 * across readers; the Cochran–Armitage trend of accuracy over resolution; intra-reader agreement.
 *
 * Only each reader's first answer per image (in input order) is analysed, so every binomial count
 * is of independent images; later answers on the same image are repeats and feed only the
 * intra-reader agreement (Cohen's kappa between the first and the repeated call). PRACTICE answers
 * are dropped. The pooled AUC pools answers across readers as if independent; for inference across
 * readers use the MRMC analysis.
 *
 * References: see binomialTest, clopperPearson, tostBinomial, rocAuc, holm, fleissKappa,
 * cochranArmitageTrend, cohenKappa.
 */
export function summarizeStudy(responses: StudyResponse[], opts: SummarizeStudyOptions = {}): StudySummary {
  const fn = 'summarizeStudy';
  assertArray(fn, 'responses', responses);
  checkOptions(fn, opts);
  return summarizeEncoded(fn, encodeStudy(responses), responses.length, opts);
}

/**
 * summarizeStudy for answers held as columns of codes (see StudyColumns), as a database query
 * returns them: the same statistics without one object per answer. Answers are read in column
 * order, so a reader's first answer on an image must come before its repeats.
 */
export function summarizeStudyColumns(columns: StudyColumns, opts: SummarizeStudyOptions = {}): StudySummary {
  const fn = 'summarizeStudyColumns';
  checkOptions(fn, opts);
  return summarizeEncoded(fn, encodeStudyColumns(columns), columns.reader.length, opts);
}

function checkOptions(fn: string, opts: SummarizeStudyOptions): void {
  const { margin, alpha = 0.05, p0 = 0.5 } = opts ?? {};
  assertOpenUnit(fn, 'alpha', alpha);
  assertOpenUnit(fn, 'p0', p0);
  if (margin != null) checkTostSettings(fn, p0, margin, alpha);
}

function summarizeEncoded(fn: string, enc: EncodedStudy, responseCount: number, opts: SummarizeStudyOptions): StudySummary {
  const { margin, alpha = 0.05, p0 = 0.5 } = opts ?? {};
  const confLevel = 1 - alpha;
  const nReaders = enc.readerIds.length;
  const lay: Layout = { reader: 1, modality: 0, label: 0, resolution: 0, total: 0 };
  lay.modality = lay.reader + nReaders;
  lay.label = lay.modality + enc.modalities.length;
  lay.resolution = lay.label + enc.labels.length;
  lay.total = lay.resolution + enc.resolutions.length;
  const G = lay.total;
  let maxLabels = 0;
  for (const s of enc.labelSets) maxLabels = Math.max(maxLabels, s.length);
  const scratch = new Int32Array(4 + maxLabels);

  const n = new Float64Array(G);
  const correct = new Float64Array(G);
  const nSyn = new Float64Array(G);
  const synCorrect = new Float64Array(G);
  const realCorrect = new Float64Array(G);
  const auc = new DeLongGroups(G);
  // Per group, the positives and negatives at each distinct score (a rating scale has a handful):
  // tallied in this pass, they feed the DeLong accumulators without sorting the scores (tieTallyAuc).
  let tally: Float64Array | null = new Float64Array(G * FEW_SCORES * 2);
  const slotValue = new Float64Array(FEW_SCORES);
  let slots = 0;
  let lastSlot = 0;
  const first = enc.first;
  const flags = enc.flags;
  const scores = enc.score;
  let analysed = 0;
  let withScore = 0;
  for (let j = 0; j < enc.count; j++) {
    if (!first[j]) continue;
    analysed++;
    const f = flags[j];
    const syn = f & TRUTH_SYNTHETIC ? 1 : 0;
    const ok = (f & CALL_SYNTHETIC ? 1 : 0) === syn ? 1 : 0;
    const score = scores[j];
    const scored = score === score;
    let at = -1;
    if (scored) {
      withScore++;
      if (tally !== null) {
        let slot = lastSlot;
        if (slots === 0 || slotValue[slot] !== score) {
          slot = 0;
          while (slot < slots && slotValue[slot] !== score) slot++;
          if (slot === slots) {
            if (slots === FEW_SCORES) tally = null;
            else slotValue[slots++] = score;
          }
          lastSlot = slot;
        }
        at = 2 * slot + (syn ? 0 : 1);
      }
    }
    const c = groupsOf(enc, lay, j, scratch);
    for (let t = 0; t < c; t++) {
      const g = scratch[t];
      n[g]++;
      correct[g] += ok;
      if (syn) {
        nSyn[g]++;
        synCorrect[g] += ok;
        if (scored) auc.nPos[g]++;
      } else {
        realCorrect[g] += ok;
        if (scored) auc.nNeg[g]++;
      }
      if (tally !== null && at >= 0) tally[g * 2 * FEW_SCORES + at]++;
    }
  }
  if (analysed === 0) throw new RangeError(`${fn}: there are no scored answers (practice answers are left out)`);
  if (withScore > 0) {
    if (tally !== null) tieTallyAuc(auc, tally, slotValue.subarray(0, slots), G);
    else streamAuc(enc, lay, auc, withScore, scratch);
  }

  const summarize = (g: number): GroupSummary => {
    const test = binomialTest(correct[g], n[g], { p0, confLevel });
    const nReal = n[g] - nSyn[g];
    const prop = (k: number, m: number): ProportionEstimate | null =>
      m === 0 ? null : { k, n: m, estimate: k / m, ci: clopperPearsonUnchecked(k, m, confLevel, 'two-sided') };
    const pos = auc.nPos[g];
    const neg = auc.nNeg[g];
    return {
      n: n[g],
      correct: correct[g],
      accuracy: test.estimate,
      pValue: test.pValue,
      ci: test.ci,
      sensitivity: prop(synCorrect[g], nSyn[g]),
      specificity: prop(realCorrect[g], nReal),
      tost: margin == null ? null : tostUnchecked(correct[g], n[g], p0, margin, alpha),
      auc: pos > 0 && neg > 0 ? { ...auc.result(g, confLevel), nSynthetic: pos, nReal: neg } : null,
    };
  };

  const agreement = repeatAgreement(enc, nReaders);
  const readerOrder = enc.readerIds.map((_, i) => i).sort((a, b) => byString(enc.readerIds[a], enc.readerIds[b]));
  const readers = readerOrder.map((r) => ({
    readerId: enc.readerIds[r],
    ...summarize(lay.reader + r),
    pValueHolm: NaN,
    repeatAgreement: agreement.perReader[r],
  }));
  const adjusted = holm(readers.map((r) => r.pValue));
  readers.forEach((r, i) => (r.pValueHolm = adjusted[i]));

  // A stratum seen only on repeated answers has no analysed answer, so it is left out.
  const sortedCodes = <T>(names: T[], base: number, cmp: (a: T, b: T) => number) =>
    names
      .map((_, i) => i)
      .filter((i) => n[base + i] > 0)
      .sort((a, b) => cmp(names[a], names[b]));
  const byResolution = sortedCodes(enc.resolutions, lay.resolution, (a, b) => a - b).map((i) => ({
    resolution: enc.resolutions[i],
    ...summarize(lay.resolution + i),
  }));

  const fl = enc.fleiss;
  return {
    settings: { p0, alpha, confLevel, margin: margin ?? null },
    counts: {
      responses: responseCount,
      practiceExcluded: enc.practiceExcluded,
      repeatsExcluded: enc.count - analysed,
      analysed,
      readers: nReaders,
      images: enc.imageCount,
    },
    pooled: summarize(0),
    readers,
    byModality: sortedCodes(enc.modalities, lay.modality, byString).map((i) => ({
      modality: enc.modalities[i],
      ...summarize(lay.modality + i),
    })),
    byLabel: sortedCodes(enc.labels, lay.label, byString).map((i) => ({
      label: enc.labels[i],
      ...summarize(lay.label + i),
    })),
    byResolution,
    fleiss:
      nReaders >= 2 && fl.images > 0
        ? { ...fleissFromTotals(fl.images, nReaders, fl.colSums, fl.sumSquares), images: fl.images, readers: nReaders }
        : null,
    resolutionTrend:
      byResolution.length >= 2
        ? {
            ...cochranArmitageTrend(
              byResolution.map((r) => r.correct),
              byResolution.map((r) => r.n),
            ),
            resolutions: byResolution.map((r) => r.resolution),
          }
        : null,
    repeatAgreement: agreement.pooled,
  };
}

/** Distinct scores up to which tieTallyAuc replaces the sort of streamAuc. */
const FEW_SCORES = 32;

/**
 * Feeds every group's DeLong accumulator from the tallies of summarizeEncoded: each group's tie blocks
 * in ascending score order, the same blocks in the same order as streamAuc, so the same results bit for bit.
 * `tally[(g · FEW_SCORES + slot) · 2]` counts group g's positives at score slotValue[slot], `+ 1` its negatives.
 */
function tieTallyAuc(acc: DeLongGroups, tally: Float64Array, slotValue: Float64Array, groups: number): void {
  const ascending = Array.from(slotValue, (_, slot) => slot).sort((a, b) => slotValue[a] - slotValue[b]);
  for (let g = 0; g < groups; g++) {
    for (const slot of ascending) {
      const pos = tally[(g * FEW_SCORES + slot) * 2];
      const neg = tally[(g * FEW_SCORES + slot) * 2 + 1];
      if (pos + neg > 0) acc.addBlock(g, pos, neg);
    }
  }
}

/**
 * Feeds every group's DeLong accumulator in one sweep: the analysed scores are ordered once
 * (radix sort), and each block of equal scores is split by group on the fly.
 */
function streamAuc(enc: EncodedStudy, lay: Layout, acc: DeLongGroups, withScore: number, scratch: Int32Array): void {
  const idx = new Int32Array(withScore);
  const vals = new Float64Array(withScore);
  let a = 0;
  for (let j = 0; j < enc.count; j++) {
    const s = enc.score[j];
    if (enc.first[j] && s === s) {
      idx[a] = j;
      vals[a++] = s;
    }
  }
  const order = ascendingOrder(vals);
  const G = lay.total;
  const stamp = new Int32Array(G).fill(-1);
  const pos = new Float64Array(G);
  const neg = new Float64Array(G);
  const touched = new Int32Array(G);
  for (let b = 0, block = 0; b < withScore; block++) {
    const value = vals[order[b]];
    let nt = 0;
    for (; b < withScore && vals[order[b]] === value; b++) {
      const j = idx[order[b]];
      const syn = enc.flags[j] & TRUTH_SYNTHETIC;
      const c = groupsOf(enc, lay, j, scratch);
      for (let t = 0; t < c; t++) {
        const g = scratch[t];
        if (stamp[g] !== block) {
          stamp[g] = block;
          touched[nt++] = g;
          pos[g] = 0;
          neg[g] = 0;
        }
        if (syn) pos[g]++;
        else neg[g]++;
      }
    }
    for (let t = 0; t < nt; t++) acc.addBlock(touched[t], pos[touched[t]], neg[touched[t]]);
  }
}

/** Cohen's kappa between each reader's first call on an image and every repeat of it. */
function repeatAgreement(enc: EncodedStudy, nReaders: number) {
  const pairs = enc.repeatPairs;
  const perReader: Array<AgreementSummary | null> = new Array(nReaders).fill(null);
  if (pairs.length === 0) return { perReader, pooled: null };
  const firstCalls: number[][] = Array.from({ length: nReaders }, () => []);
  const repeatCalls: number[][] = Array.from({ length: nReaders }, () => []);
  for (let p = 0; p < pairs.length; p += 2) {
    const r = enc.reader[pairs[p]];
    firstCalls[r].push(enc.flags[pairs[p]] & CALL_SYNTHETIC ? 1 : 0);
    repeatCalls[r].push(enc.flags[pairs[p + 1]] & CALL_SYNTHETIC ? 1 : 0);
  }
  const summary = (a: number[], b: number[]): AgreementSummary => {
    const k = cohenKappa(a, b);
    return { pairs: k.n, agreement: k.observedAgreement, kappa: k.kappa };
  };
  for (let r = 0; r < nReaders; r++) {
    if (firstCalls[r].length > 0) perReader[r] = summary(firstCalls[r], repeatCalls[r]);
  }
  return { perReader, pooled: summary(firstCalls.flat(), repeatCalls.flat()) };
}
