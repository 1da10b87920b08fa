/**
 * Can a simple classifier tell the classes apart from cheap features? Ridge-penalised logistic
 * regression, fitted by Newton–Raphson (IRLS), scored by stratified k-fold cross-validation: every
 * image is scored by a model that never saw it, and the pooled out-of-fold scores give one ROC AUC
 * (Mann–Whitney, ties ½, via lib/stats rocAuc). Deterministic: folds come from a hash of each
 * image's key, not from a random generator or the input order.
 *
 * Features are standardised within each group (an encoding, i.e. a pool's canonical format), so
 * differences between pools of different sizes do not count, only differences inside a pool.
 *
 * References: Hastie T., Tibshirani R., Friedman J., The Elements of Statistical Learning (2nd ed.),
 * §4.4 (logistic regression, IRLS) and §7.10 (cross-validation).
 */
import { rocAuc } from '@/lib/stats';

export interface CrossValidationOptions {
  /** Number of folds; default 5 (fewer when a class is smaller). */
  folds?: number;
  /** L2 penalty on the standardised coefficients (not the intercept); default 1. */
  ridge?: number;
}

export interface CrossValidationResult {
  /** ROC AUC of the out-of-fold scores; 0.5 = no better than chance. */
  auc: number;
  folds: number;
  /** Out-of-fold probability that each input row is class 1, in input order. */
  scores: number[];
}

/** FNV-1a, 32 bit: a stable hash to deal images into folds. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Centres and scales every feature within its group (label-free, so it cannot leak the truth). */
export function standardiseWithinGroups(x: readonly number[][], groups: readonly string[]): number[][] {
  const d = x[0]?.length ?? 0;
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const out = x.map(() => new Array<number>(d).fill(0));
  for (const rows of members.values()) {
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (const i of rows) mean += x[i][j];
      mean /= rows.length;
      let variance = 0;
      for (const i of rows) variance += (x[i][j] - mean) ** 2;
      const sd = Math.sqrt(variance / rows.length);
      for (const i of rows) out[i][j] = sd > 1e-12 ? (x[i][j] - mean) / sd : 0;
    }
  }
  return out;
}

/** Solves A·x = b for a symmetric positive definite A (Cholesky); A and b are not modified. */
function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Ridge logistic regression; returns [intercept, ...weights]. */
export function fitLogistic(x: readonly number[][], y: readonly (0 | 1)[], ridge = 1, iterations = 30): number[] {
  const d = (x[0]?.length ?? 0) + 1;
  let beta = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const gradient = new Array<number>(d).fill(0);
    for (let i = 0; i < x.length; i++) {
      const row = [1, ...x[i]];
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j] * row[j];
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-10);
      const r = y[i] - p;
      for (let j = 0; j < d; j++) {
        gradient[j] += r * row[j];
        const wj = w * row[j];
        for (let k = 0; k <= j; k++) hessian[j][k] += wj * row[k];
      }
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) hessian[k][j] = hessian[j][k];
    for (let j = 1; j < d; j++) {
      hessian[j][j] += ridge;
      gradient[j] -= ridge * beta[j];
    }
    hessian[0][0] += 1e-8;
    const step = solveSpd(hessian, gradient);
    beta = beta.map((b, j) => b + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return beta;
}

function predict(beta: readonly number[], row: readonly number[]): number {
  let z = beta[0];
  for (let j = 0; j < row.length; j++) z += beta[j + 1] * row[j];
  return sigmoid(z);
}

/**
 * Cross-validated AUC of ridge logistic regression on `x` (rows = images) for labels `y`.
 * `keys` (e.g. image ids) fix the fold of each row; `groups` (e.g. encodings) scope the
 * standardisation. Needs at least two rows of each class.
 */
export function crossValidatedAuc(
  x: readonly number[][],
  y: readonly (0 | 1)[],
  keys: readonly string[],
  groups: readonly string[],
  opts: CrossValidationOptions = {},
): CrossValidationResult {
  const n = x.length;
  if (y.length !== n || keys.length !== n || groups.length !== n) throw new RangeError('crossValidatedAuc: x, y, keys and groups must have the same length');
  const positives = y.filter((v) => v === 1).length;
  const smaller = Math.min(positives, n - positives);
  if (smaller < 2) throw new RangeError('crossValidatedAuc: needs at least two rows of each class');
  const folds = Math.max(2, Math.min(opts.folds ?? 5, smaller));
  const z = standardiseWithinGroups(x, groups);

  // Stratified folds: within each class, rows ordered by the hash of their key, dealt round-robin.
  const fold = new Int32Array(n);
  for (const cls of [0, 1] as const) {
    const rows = [...Array(n).keys()].filter((i) => y[i] === cls);
    rows.sort((a, b) => fnv1a(keys[a]) - fnv1a(keys[b]) || (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
    rows.forEach((i, rank) => (fold[i] = rank % folds));
  }
  const scores = new Array<number>(n).fill(0.5);
  for (let f = 0; f < folds; f++) {
    const train = [...Array(n).keys()].filter((i) => fold[i] !== f);
    const beta = fitLogistic(
      train.map((i) => z[i]),
      train.map((i) => y[i]),
      opts.ridge ?? 1,
    );
    for (let i = 0; i < n; i++) if (fold[i] === f) scores[i] = predict(beta, z[i]);
  }
  return { auc: rocAuc(scores, [...y]).auc, folds, scores };
}
