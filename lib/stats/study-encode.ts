/**
 * First stage of `summarizeStudy`: one pass over the answer records that validates them and
 * encodes each into typed arrays (reader, image, truth/call bits, score, stratum codes), then a
 * counting sort by image that keeps each reader's first answer per image, pairs later answers
 * with it (intra-reader repeats), and collects Fleiss' sufficient statistics over the images every
 * reader read. Typed arrays and interned codes keep a 10^6-answer study to a few allocations.
 */
import type { StudyCall } from './synthetic-score';

/** One answer of one reader on one image. */
export interface StudyResponse {
  readerId: string;
  imageId: string;
  /** Ground truth of the image. */
  truth: StudyCall;
  /** The reader's call. */
  call: StudyCall;
  /** Confidence in the call, any scale with 0 ≤ c (e.g. 1–5); null/undefined when not asked. */
  confidence?: number | null;
  modality?: string | null;
  /** One label or several separated by '|' ("nodule|effusion"); the answer counts under each. */
  label?: string | null;
  /** Image size in pixels (one number, e.g. the matrix width). */
  resolution?: number | null;
  /** 'PRACTICE' answers are left out of every statistic; any other value (or none) is scored. */
  phase?: string | null;
}

export const TRUTH_SYNTHETIC = 1;
export const CALL_SYNTHETIC = 2;

export interface EncodedStudy {
  /** Scored answers (practice removed), in input order. */
  count: number;
  reader: Int32Array;
  image: Int32Array;
  /** TRUTH_SYNTHETIC | CALL_SYNTHETIC bits. */
  flags: Uint8Array;
  /** syntheticScore(call, confidence), NaN without confidence. */
  score: Float64Array;
  modality: Int32Array;
  labelSet: Int32Array;
  resolution: Int32Array;
  /** 1 for the reader's first answer on the image; later answers are repeats. */
  first: Uint8Array;
  readerIds: string[];
  imageCount: number;
  modalities: string[];
  labels: string[];
  /** Label codes of each distinct label string. */
  labelSets: Int32Array[];
  resolutions: number[];
  practiceExcluded: number;
  /** [first answer index, repeat answer index] pairs, flattened. */
  repeatPairs: Int32Array;
  fleiss: { images: number; colSums: [number, number]; sumSquares: number };
}

function intern<K>(map: Map<K, number>, list: K[], key: K): number {
  let code = map.get(key);
  if (code === undefined) {
    code = list.length;
    map.set(key, code);
    list.push(key);
  }
  return code;
}

/** TypeError for a value of the wrong kind; RangeError for a number outside its domain. */
function fail(i: number, field: string, what: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const Err = typeof value === 'number' && (field === 'confidence' || field === 'resolution') ? RangeError : TypeError;
  const where = field === '' ? `responses[${i}]` : `responses[${i}].${field}`;
  throw new Err(`summarizeStudy: ${where} must be ${what} (got ${shown})`);
}

/** Validates and encodes the answers of a study (see the file comment); throws on the first bad record. */
export function encodeStudy(responses: StudyResponse[]): EncodedStudy {
  const len = responses.length;
  const reader = new Int32Array(len);
  const image = new Int32Array(len);
  const flags = new Uint8Array(len);
  const score = new Float64Array(len);
  const modality = new Int32Array(len);
  const labelSet = new Int32Array(len);
  const resolution = new Int32Array(len);
  const readerMap = new Map<string, number>();
  const readerIds: string[] = [];
  const imageMap = new Map<string, number>();
  const imageIds: string[] = [];
  const modalityMap = new Map<string, number>();
  const modalities: string[] = [];
  const labelMap = new Map<string, number>();
  const labels: string[] = [];
  const labelSetMap = new Map<string, number>();
  const labelSets: Int32Array[] = [];
  const resolutionMap = new Map<number, number>();
  const resolutions: number[] = [];
  let practice = 0;
  let m = 0;
  for (let i = 0; i < len; i++) {
    const r = responses[i];
    if (r === null || typeof r !== 'object') fail(i, '', 'an answer record', r);
    const phase = r.phase;
    if (phase === 'PRACTICE') {
      practice++;
      continue;
    }
    if (phase != null && typeof phase !== 'string') fail(i, 'phase', 'a string', phase);
    const rid = r.readerId;
    if (typeof rid !== 'string' || rid === '') fail(i, 'readerId', 'a non-empty string', rid);
    const iid = r.imageId;
    if (typeof iid !== 'string' || iid === '') fail(i, 'imageId', 'a non-empty string', iid);
    const truth = r.truth;
    const call = r.call;
    let f = 0;
    if (truth === 'SYNTHETIC') f = TRUTH_SYNTHETIC;
    else if (truth !== 'REAL') fail(i, 'truth', "'REAL' or 'SYNTHETIC'", truth);
    if (call === 'SYNTHETIC') f |= CALL_SYNTHETIC;
    else if (call !== 'REAL') fail(i, 'call', "'REAL' or 'SYNTHETIC'", call);
    const c = r.confidence;
    if (c == null) score[m] = NaN;
    else {
      if (typeof c !== 'number' || !(c >= 0) || c === Infinity) fail(i, 'confidence', 'a finite number ≥ 0', c);
      // Same mapping as syntheticScore, inlined for the hot loop; +0 keeps the zero scores one tie.
      score[m] = f & CALL_SYNTHETIC ? c + 0 : 0 - c;
    }
    const mod = r.modality;
    if (mod == null || mod === '') modality[m] = -1;
    else if (typeof mod !== 'string') fail(i, 'modality', 'a string', mod);
    else modality[m] = intern(modalityMap, modalities, mod);
    const lab = r.label;
    if (lab == null || lab === '') labelSet[m] = -1;
    else if (typeof lab !== 'string') fail(i, 'label', 'a string', lab);
    else {
      let code = labelSetMap.get(lab);
      if (code === undefined) {
        const parts = new Set(lab.split('|').map((s) => s.trim()).filter((s) => s !== ''));
        code = labelSets.length;
        labelSets.push(Int32Array.from(parts, (p) => intern(labelMap, labels, p)));
        labelSetMap.set(lab, code);
      }
      labelSet[m] = code;
    }
    const res = r.resolution;
    if (res == null) resolution[m] = -1;
    else if (typeof res !== 'number' || !(res > 0) || res === Infinity) {
      fail(i, 'resolution', 'a finite number > 0', res);
    }
    else resolution[m] = intern(resolutionMap, resolutions, res);
    reader[m] = intern(readerMap, readerIds, rid);
    image[m] = intern(imageMap, imageIds, iid);
    flags[m] = f;
    m++;
  }
  const enc = {
    count: m,
    reader: reader.subarray(0, m),
    image: image.subarray(0, m),
    flags: flags.subarray(0, m),
    score: score.subarray(0, m),
    modality: modality.subarray(0, m),
    labelSet: labelSet.subarray(0, m),
    resolution: resolution.subarray(0, m),
    readerIds,
    imageCount: imageIds.length,
    modalities,
    labels,
    labelSets,
    resolutions,
    practiceExcluded: practice,
  };
  return { ...enc, ...firstAnswers(enc.count, enc.reader, enc.image, enc.flags, readerIds.length, imageIds.length) };
}

/**
 * Marks each reader's first answer per image (input order), pairs repeats with it, and sums
 * Fleiss' statistics over images answered by every reader, using each reader's first call.
 */
function firstAnswers(
  count: number,
  reader: Int32Array,
  image: Int32Array,
  flags: Uint8Array,
  nReaders: number,
  nImages: number,
) {
  const start = new Int32Array(nImages + 1);
  for (let j = 0; j < count; j++) start[image[j] + 1]++;
  for (let i = 0; i < nImages; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nImages);
  const byImage = new Int32Array(count);
  for (let j = 0; j < count; j++) byImage[fill[image[j]]++] = j;

  const first = new Uint8Array(count);
  const stamp = new Int32Array(nReaders).fill(-1);
  const firstOf = new Int32Array(nReaders);
  const pairs: number[] = [];
  let fleissImages = 0;
  let synTotal = 0;
  let sumSquares = 0;
  for (let img = 0; img < nImages; img++) {
    let distinct = 0;
    let syn = 0;
    for (let s = start[img]; s < start[img + 1]; s++) {
      const j = byImage[s];
      const r = reader[j];
      if (stamp[r] !== img) {
        stamp[r] = img;
        firstOf[r] = j;
        first[j] = 1;
        distinct++;
        if (flags[j] & CALL_SYNTHETIC) syn++;
      } else pairs.push(firstOf[r], j);
    }
    if (distinct === nReaders) {
      fleissImages++;
      synTotal += syn;
      sumSquares += syn * syn + (nReaders - syn) * (nReaders - syn);
    }
  }
  return {
    first,
    repeatPairs: Int32Array.from(pairs),
    fleiss: {
      images: fleissImages,
      colSums: [fleissImages * nReaders - synTotal, synTotal] as [number, number],
      sumSquares,
    },
  };
}
