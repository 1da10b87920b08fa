/**
 * Natural ordering of identifiers, so that tests and readers come out as a person would list
 * them: "2" before "10", "reader 2" before "reader 10".
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DIGIT_RUNS = /(\d+)/;

function plain(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareDigitRuns(a: string, b: string): number {
  // Compare as integers without Number(), which would lose precision on long digit runs.
  const sa = a.replace(/^0+(?=\d)/, '');
  const sb = b.replace(/^0+(?=\d)/, '');
  if (sa.length !== sb.length) return sa.length - sb.length;
  return plain(sa, sb);
}

function compareChunks(a: string, b: string): number {
  const pa = a.split(DIGIT_RUNS);
  const pb = b.split(DIGIT_RUNS);
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    // split() with a capturing group alternates text (even index) and digit runs (odd index).
    const c = i % 2 === 1 ? compareDigitRuns(pa[i], pb[i]) : plain(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/**
 * Compares two ids in natural order. Ids that are whole numbers ("2", "10", "-1.5") sort first,
 * numerically; all other ids follow, with digit runs compared as integers and the rest by code
 * unit. Ties (e.g. "01" vs "1") fall back to plain string order, so the order is total and
 * distinct ids never compare equal.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const na = NUMBER.test(a);
  const nb = NUMBER.test(b);
  // Two separate classes keep the order transitive: mixing numeric and textual comparison of
  // the same pair of ids would not be.
  if (na !== nb) return na ? -1 : 1;
  let c = 0;
  if (na) {
    const x = Number(a);
    const y = Number(b);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else c = compareChunks(a, b);
  return c !== 0 ? Math.sign(c) : plain(a, b);
}

/** Returns a naturally sorted copy of `ids` (see `compareIds`). */
export function sortIds(ids: Iterable<string>): string[] {
  return [...ids].sort(compareIds);
}
