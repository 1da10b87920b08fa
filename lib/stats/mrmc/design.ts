import { sortIds } from './natural-order';
import type { MrmcRecord } from './types';

/**
 * A validated, fully crossed reader × test × case design with ids in natural order.
 * Cell k = testIndex · readers.length + readerIndex.
 */
export interface Design {
  readers: string[];
  tests: string[];
  /** Case ids of truth 1 (synthetic / diseased), natural order. */
  cases1: string[];
  /** Case ids of truth 0 (real / non-diseased), natural order. */
  cases0: string[];
  /** Per cell: ratings of the truth-1 cases, aligned with `cases1`. */
  pos: Float64Array[];
  /** Per cell: ratings of the truth-0 cases, aligned with `cases0`. */
  neg: Float64Array[];
}

function fail(message: string): never {
  throw new Error(`mrmcOrHillis: ${message}`);
}

function checkId(value: unknown, field: string, index: number): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(`record ${index}: ${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function indexer(): { ids: string[]; index(id: string): number } {
  const map = new Map<string, number>();
  const ids: string[] = [];
  return {
    ids,
    index(id) {
      let i = map.get(id);
      if (i === undefined) {
        i = ids.length;
        map.set(id, i);
        ids.push(id);
      }
      return i;
    },
  };
}

/**
 * Validates MRMC rating records and arranges them as a fully crossed design (every reader rates
 * every case under every test, once), the design the Obuchowski–Rockette model and the DeLong,
 * jackknife and unbiased covariance estimators assume here (Obuchowski & Rockette 1995;
 * Hillis 2007). Throws on a missing or duplicated reader×test×case cell, a case whose truth
 * differs between records, fewer than two cases of either truth class, fewer than two readers,
 * and non-finite ratings.
 */
export function buildDesign(records: readonly MrmcRecord[]): Design {
  if (!Array.isArray(records) || records.length === 0) fail('records must be a non-empty array');
  const n = records.length;
  const readerIx = indexer();
  const testIx = indexer();
  const caseIx = indexer();
  const rIdx = new Int32Array(n);
  const tIdx = new Int32Array(n);
  const cIdx = new Int32Array(n);
  const caseTruth: number[] = [];

  for (let i = 0; i < n; i++) {
    const rec = records[i] as MrmcRecord | null | undefined;
    if (rec === null || typeof rec !== 'object') fail(`record ${i} is not an object`);
    const reader = checkId(rec.reader, 'reader', i);
    const test = checkId(rec.test, 'test', i);
    const kase = checkId(rec.case, 'case', i);
    const truth = rec.truth as unknown;
    if (truth !== 0 && truth !== 1) {
      fail(`record ${i} (case "${kase}"): truth must be 0 or 1, got ${JSON.stringify(truth)}`);
    }
    if (typeof rec.rating !== 'number' || !Number.isFinite(rec.rating)) {
      fail(
        `record ${i} (reader "${reader}", test "${test}", case "${kase}"): rating must be a finite number, got ${String(rec.rating)}`,
      );
    }
    rIdx[i] = readerIx.index(reader);
    tIdx[i] = testIx.index(test);
    const c = caseIx.index(kase);
    cIdx[i] = c;
    if (c === caseTruth.length) caseTruth.push(truth);
    else if (caseTruth[c] !== truth) {
      fail(
        `case "${kase}" has inconsistent truth: ${caseTruth[c]} in an earlier record, ${truth} in record ${i} (reader "${reader}", test "${test}")`,
      );
    }
  }

  const readers = sortIds(readerIx.ids);
  const tests = sortIds(testIx.ids);
  if (readers.length < 2) {
    fail(`at least 2 readers are needed for a random-reader analysis, got ${readers.length}`);
  }
  const cases1 = sortIds(caseIx.ids.filter((_, c) => caseTruth[c] === 1));
  const cases0 = sortIds(caseIx.ids.filter((_, c) => caseTruth[c] === 0));
  if (cases1.length === 0 || cases0.length === 0) {
    fail(
      `only one truth class present (${cases1.length} cases with truth 1, ${cases0.length} with truth 0); ROC analysis needs both`,
    );
  }
  if (cases1.length < 2 || cases0.length < 2) {
    fail(
      `at least 2 cases of each truth class are needed for a case-sampling variance, got ${cases1.length} with truth 1 and ${cases0.length} with truth 0`,
    );
  }

  // Map first-seen indices to natural-order positions; truth-0 and truth-1 cases get separate slots.
  const rank = (ids: string[], sorted: string[]) => {
    const pos = new Map(sorted.map((id, i) => [id, i]));
    return Int32Array.from(ids, (id) => pos.get(id) ?? -1);
  };
  const rOrder = rank(readerIx.ids, readers);
  const tOrder = rank(testIx.ids, tests);
  const slot1 = rank(caseIx.ids, cases1);
  const slot0 = rank(caseIx.ids, cases0);

  const R = readers.length;
  const K = R * tests.length;
  const pos = Array.from({ length: K }, () => new Float64Array(cases1.length));
  const neg = Array.from({ length: K }, () => new Float64Array(cases0.length));
  const seen1 = Array.from({ length: K }, () => new Uint8Array(cases1.length));
  const seen0 = Array.from({ length: K }, () => new Uint8Array(cases0.length));

  for (let i = 0; i < n; i++) {
    const k = tOrder[tIdx[i]] * R + rOrder[rIdx[i]];
    const c = cIdx[i];
    const isPos = caseTruth[c] === 1;
    const slot = isPos ? slot1[c] : slot0[c];
    const seen = isPos ? seen1[k] : seen0[k];
    if (seen[slot]) {
      const rec = records[i];
      fail(`duplicate record for reader "${rec.reader}", test "${rec.test}", case "${rec.case}" (record ${i})`);
    }
    seen[slot] = 1;
    (isPos ? pos[k] : neg[k])[slot] = records[i].rating;
  }

  const expected = K * (cases1.length + cases0.length);
  if (n !== expected) {
    for (let k = 0; k < K; k++) {
      for (const [seen, ids] of [
        [seen1[k], cases1],
        [seen0[k], cases0],
      ] as const) {
        const missing = seen.indexOf(0);
        if (missing >= 0) {
          fail(
            `missing rating for reader "${readers[k % R]}", test "${tests[Math.floor(k / R)]}", case "${ids[missing]}": the design must be fully crossed (every reader rates every case under every test); ${expected - n} of ${expected} cells are missing`,
          );
        }
      }
    }
  }

  return { readers, tests, cases1, cases0, pos, neg };
}
