/**
 * First stage of `summarizeStudy`: one pass over the answer records that validates them and
 * encodes each into typed arrays (reader, image, truth/call bits, score, stratum codes), then a
 * counting sort by image that keeps each reader's first answer per image, pairs later answers
 * with it (intra-reader repeats), and collects Fleiss' sufficient statistics over the images every
 * reader read. Typed arrays and interned codes keep a 10^6-answer study to a few allocations.
 */
import { syntheticScore, type StudyCall } from './synthetic-score';

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
      score[m] = syntheticScore(call === 'SYNTHETIC', c);
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
 * The answers of a study as columns of codes, the shape a database query can fill without building
 * one object per answer. Image attributes are given once per image, not per answer.
 */
export interface StudyColumns {
  /** Reader ids; `reader` holds indexes into it. */
  readerIds: string[];
  /** Per answer: reader index. */
  reader: Int32Array;
  /** Per answer: image index (0 ≤ image < images.count). */
  image: Int32Array;
  /** Per answer: 1 when the reader called the image synthetic, else 0. */
  callSynthetic: Uint8Array;
  /** Per answer: confidence (≥ 0), NaN when not recorded. */
  confidence: Float64Array;
  /** Per answer: 1 for a practice answer (left out), else 0. Omitted: none. */
  isPractice?: Uint8Array;
  images: {
    count: number;
    /** Per image: 1 synthetic, 0 real. */
    truthSynthetic: Uint8Array;
    /** Per image: index into `modalities`, −1 when unknown. */
    modality: Int32Array;
    modalities: string[];
    /** Per image: index into `labelSets`, −1 when none. */
    labelSet: Int32Array;
    /** Label strings, several labels separated by '|' (as StudyResponse.label). */
    labelSets: string[];
    /** Per image: resolution in pixels (> 0), or 0 when unknown. */
    resolution: Float64Array;
  };
}

/**
 * Validates and encodes columns (see StudyColumns) into the same EncodedStudy as encodeStudy, in
 * one pass over typed arrays: answers stay in input order, so "first answer" means the same thing.
 */
export function encodeStudyColumns(cols: StudyColumns): EncodedStudy {
  const fn = 'summarizeStudyColumns';
  const len = cols.reader.length;
  const im = cols.images;
  for (const [name, arr] of [['image', cols.image], ['callSynthetic', cols.callSynthetic], ['confidence', cols.confidence], ['isPractice', cols.isPractice]] as const) {
    if (arr !== undefined && arr.length !== len) throw new TypeError(`${fn}: ${name} must have one entry per answer (${len}), got ${arr.length}`);
  }
  for (const [name, arr] of [['truthSynthetic', im.truthSynthetic], ['modality', im.modality], ['labelSet', im.labelSet], ['resolution', im.resolution]] as const) {
    if (arr.length !== im.count) throw new TypeError(`${fn}: images.${name} must have one entry per image (${im.count}), got ${arr.length}`);
  }
  // Per image codes, resolutions interned in first-seen order of the answers (as encodeStudy).
  const labelMap = new Map<string, number>();
  const labels: string[] = [];
  const labelSets = im.labelSets.map((lab) => {
    const parts = new Set(lab.split('|').map((x) => x.trim()).filter((x) => x !== ''));
    return Int32Array.from(parts, (p) => intern(labelMap, labels, p));
  });
  const resolutionMap = new Map<number, number>();
  const resolutions: number[] = [];
  const imageResolution = new Int32Array(im.count).fill(-2);

  const reader = new Int32Array(len);
  const image = new Int32Array(len);
  const flags = new Uint8Array(len);
  const score = new Float64Array(len);
  const modality = new Int32Array(len);
  const labelSet = new Int32Array(len);
  const resolution = new Int32Array(len);
  // Readers and images renumbered in first-seen order, so codes match what encodeStudy would give.
  const readerCode = new Int32Array(cols.readerIds.length).fill(-1);
  const readerIds: string[] = [];
  const imageCode = new Int32Array(im.count).fill(-1);
  let imageCount = 0;
  let practice = 0;
  let m = 0;
  for (let i = 0; i < len; i++) {
    if (cols.isPractice !== undefined && cols.isPractice[i]) {
      practice++;
      continue;
    }
    const r = cols.reader[i];
    if (!(r >= 0 && r < cols.readerIds.length)) throw new TypeError(`${fn}: reader[${i}] must index readerIds (got ${r})`);
    const g = cols.image[i];
    if (!(g >= 0 && g < im.count)) throw new TypeError(`${fn}: image[${i}] must index images (got ${g})`);
    if (readerCode[r] < 0) {
      readerCode[r] = readerIds.length;
      readerIds.push(cols.readerIds[r]);
    }
    if (imageCode[g] < 0) imageCode[g] = imageCount++;
    let f = im.truthSynthetic[g] ? TRUTH_SYNTHETIC : 0;
    if (cols.callSynthetic[i]) f |= CALL_SYNTHETIC;
    const c = cols.confidence[i];
    if (c !== c) score[m] = NaN;
    else {
      if (!(c >= 0) || c === Infinity) throw new RangeError(`${fn}: confidence[${i}] must be a finite number ≥ 0 (got ${c})`);
      score[m] = syntheticScore(cols.callSynthetic[i] !== 0, c);
    }
    let res = imageResolution[g];
    if (res === -2) {
      const value = im.resolution[g];
      if (value === 0) res = -1;
      else if (!(value > 0) || value === Infinity) throw new RangeError(`${fn}: images.resolution[${g}] must be a finite number > 0 or 0 (got ${value})`);
      else res = intern(resolutionMap, resolutions, value);
      imageResolution[g] = res;
    }
    reader[m] = readerCode[r];
    image[m] = imageCode[g];
    flags[m] = f;
    modality[m] = im.modality[g];
    labelSet[m] = im.labelSet[g];
    resolution[m] = res;
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
    imageCount,
    modalities: im.modalities,
    labels,
    labelSets,
    resolutions,
    practiceExcluded: practice,
  };
  return { ...enc, ...firstAnswers(enc.count, enc.reader, enc.image, enc.flags, readerIds.length, imageCount) };
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
