import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { assertArray, assertSameLength } from './validate';

export interface CohenKappaResult {
  /** Cohen's kappa; NaN when chance agreement is 1 (both raters used a single, same category). */
  kappa: number;
  /** Observed proportion of agreement. */
  observedAgreement: number;
  /** Agreement expected by chance from the two raters' marginal frequencies. */
  expectedAgreement: number;
  n: number;
}

/**
 * Cohen's (unweighted) kappa for two raters rating the same items: κ = 1 − (1 − po)/(1 − pe).
 * Categories are compared with SameValueZero, so 1 and '1' are different categories.
 * Equals scikit-learn `cohen_kappa_score(a, b)`.
 *
 * Reference: Cohen J. (1960), Educ Psychol Meas 20:37–46.
 */
export function cohenKappa(a: Array<string | number>, b: Array<string | number>): CohenKappaResult {
  const fn = 'cohenKappa';
  assertArray(fn, 'a', a);
  assertArray(fn, 'b', b);
  assertSameLength(fn, 'a', a, 'b', b);
  const n = a.length;
  if (n === 0) throw new RangeError(`${fn}: at least one rated item is required`);
  const index = new Map<string | number, number>();
  const codeOf = (name: string, v: unknown, i: number): number => {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      throw new TypeError(`${fn}: ${name}[${i}] must be a string or a finite number (got ${String(v)})`);
    }
    let c = index.get(v);
    if (c === undefined) {
      c = index.size;
      index.set(v, c);
    }
    return c;
  };
  const ca = new Int32Array(n);
  const cb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ca[i] = codeOf('a', a[i], i);
    cb[i] = codeOf('b', b[i], i);
  }
  const rows = new Float64Array(index.size);
  const cols = new Float64Array(index.size);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    rows[ca[i]]++;
    cols[cb[i]]++;
    if (ca[i] === cb[i]) agree++;
  }
  let chance = 0;
  for (let j = 0; j < index.size; j++) chance += rows[j] * cols[j];
  // Disagreement ratio, as scikit-learn computes it: observed over chance-expected disagreement.
  const expectedDisagreement = (n * n - chance) / n;
  const kappa = expectedDisagreement === 0 ? NaN : 1 - (n - agree) / expectedDisagreement;
  return { kappa, observedAgreement: agree / n, expectedAgreement: chance / (n * n), n };
}

export interface FleissKappaResult {
  /** Fleiss' kappa; NaN when every rating fell in one category. */
  kappa: number;
  /** Standard error under H0 κ = 0 (Fleiss, Nee & Landis 1979). */
  se: number;
  /** kappa / se. */
  z: number;
  /** Two-sided p-value of H0 κ = 0 from the normal approximation, 2·Φ(−|z|). */
  pValue: number;
}

/**
 * Fleiss' kappa for a fixed number of raters per subject. `counts[i][j]` is the number of raters
 * who put subject i in category j; every row must have the same total (≥ 2 raters). Kappa equals
 * statsmodels `fleiss_kappa(counts, method='fleiss')`; its standard error under the null and the
 * z test follow Fleiss, Nee & Landis (1979), as in R irr::kappam.fleiss.
 *
 * References: Fleiss J.L. (1971), Psychol Bull 76:378–382; Fleiss J.L., Nee J.C.M., Landis J.R.
 * (1979), Psychol Bull 86:974–977.
 */
export function fleissKappa(counts: number[][]): FleissKappaResult {
  const fn = 'fleissKappa';
  assertArray(fn, 'counts', counts);
  const nSubjects = counts.length;
  if (nSubjects === 0) throw new RangeError(`${fn}: counts must have at least one subject (row)`);
  assertArray(fn, 'counts[0]', counts[0]);
  const nCategories = counts[0].length;
  if (nCategories < 2) throw new RangeError(`${fn}: counts must have at least two categories (columns)`);
  const colSums = new Float64Array(nCategories);
  let nRaters = -1;
  let sumSquares = 0;
  for (let i = 0; i < nSubjects; i++) {
    const row = counts[i];
    assertArray(fn, `counts[${i}]`, row);
    if (row.length !== nCategories) {
      throw new RangeError(`${fn}: every row must have ${nCategories} categories (row ${i} has ${row.length})`);
    }
    let total = 0;
    for (let j = 0; j < nCategories; j++) {
      const c = row[j];
      if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) {
        throw new RangeError(`${fn}: counts[${i}][${j}] must be a whole number ≥ 0 (got ${String(c)})`);
      }
      total += c;
      colSums[j] += c;
      sumSquares += c * c;
    }
    if (nRaters === -1) nRaters = total;
    else if (total !== nRaters) {
      throw new RangeError(
        `${fn}: every subject needs the same number of ratings (row 0 has ${nRaters}, row ${i} has ${total})`,
      );
    }
  }
  if (nRaters < 2) throw new RangeError(`${fn}: at least two raters per subject are required (got ${nRaters})`);
  return fleissFromTotals(nSubjects, nRaters, colSums, sumSquares);
}

/**
 * Fleiss' kappa and its Fleiss–Nee–Landis (1979) null SE from sufficient statistics: the category
 * totals and Σᵢⱼ n_ij² (the mean per-subject agreement is (Σ n_ij² − N·n)/(N·n·(n − 1))). Lets
 * callers with many subjects (summarizeStudy) skip building a row per subject.
 */
export function fleissFromTotals(
  nSubjects: number,
  nRaters: number,
  colSums: ArrayLike<number>,
  sumSquares: number,
): FleissKappaResult {
  const total = nSubjects * nRaters;
  const pMean = (sumSquares - total) / (total * (nRaters - 1));
  let pe = 0;
  let sumPQ = 0;
  let sumPQQP = 0;
  for (let j = 0; j < colSums.length; j++) {
    const p = colSums[j] / total;
    const q = 1 - p;
    pe += p * p;
    sumPQ += p * q;
    sumPQQP += p * q * (q - p);
  }
  const kappa = (pMean - pe) / (1 - pe);
  const se = (Math.sqrt(2 / (total * (nRaters - 1))) * Math.sqrt(sumPQ * sumPQ - sumPQQP)) / sumPQ;
  const z = kappa / se;
  const pValue = 2 * normalCdf(-Math.abs(z), 0, 1);
  return { kappa, se, z, pValue };
}
