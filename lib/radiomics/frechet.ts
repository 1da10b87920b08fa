import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Mean and covariance (unbiased, n − 1, as numpy.cov) of the rows of a feature matrix. */
export interface Gaussian {
  mean: Float64Array;
  covariance: Matrix;
}

export function fitGaussian(rows: ReadonlyArray<ArrayLike<number>>): Gaussian {
  if (rows.length < 2) throw new Error(`a Gaussian needs at least 2 samples, got ${rows.length}`);
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const row of rows) {
    if (row.length !== d) throw new Error(`feature vectors differ in length (${row.length} and ${d})`);
    for (let k = 0; k < d; k++) mean[k] += row[k];
  }
  for (let k = 0; k < d; k++) mean[k] /= rows.length;
  const centred = new Matrix(rows.length, d);
  rows.forEach((row, r) => {
    for (let k = 0; k < d; k++) centred.set(r, k, row[k] - mean[k]);
  });
  const covariance = centred.transpose().mmul(centred).div(rows.length - 1);
  return { mean, covariance };
}

/**
 * Squared Fréchet (2-Wasserstein) distance between N(μ1, Σ1) and N(μ2, Σ2) (Dowson & Landau 1982),
 * the quantity frd-score and pytorch-fid report:
 *   d² = |μ1 − μ2|² + tr Σ1 + tr Σ2 − 2 tr (Σ1 Σ2)^½.
 * tr (Σ1 Σ2)^½ is taken as tr (Σ1^½ Σ2 Σ1^½)^½ — the same eigenvalues, but a symmetric matrix, so two
 * symmetric eigendecompositions (ml-matrix) replace scipy.linalg.sqrtm's complex Schur form and
 * tiny negative eigenvalues from rounding are clamped to 0 instead of turning imaginary.
 */
export function frechetDistance(a: Gaussian, b: Gaussian): number {
  const d = a.mean.length;
  if (b.mean.length !== d) throw new Error(`the two Gaussians have ${d} and ${b.mean.length} dimensions`);
  let meanTerm = 0;
  for (let k = 0; k < d; k++) meanTerm += (a.mean[k] - b.mean[k]) ** 2;
  const rootA = symmetricSqrt(a.covariance);
  const middle = rootA.mmul(b.covariance).mmul(rootA);
  const inner = symmetrise(middle);
  let traceRoot = 0;
  for (const lambda of new EigenvalueDecomposition(inner, { assumeSymmetric: true }).realEigenvalues) traceRoot += Math.sqrt(Math.max(0, lambda));
  return Math.max(0, meanTerm + a.covariance.trace() + b.covariance.trace() - 2 * traceRoot);
}

function symmetricSqrt(m: Matrix): Matrix {
  const evd = new EigenvalueDecomposition(symmetrise(m), { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const roots = evd.realEigenvalues.map((lambda) => Math.sqrt(Math.max(0, lambda)));
  return vectors.mmul(Matrix.diag(roots)).mmul(vectors.transpose());
}

function symmetrise(m: Matrix): Matrix {
  return m.add(m.transpose()).div(2);
}
