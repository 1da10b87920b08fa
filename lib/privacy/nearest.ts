import { createDotKernel, quantise, QUANT_SCALE, type DotKernel } from './dot-kernel';
import { COMMON_SIZE, pearson, zScore } from './normalise';
import { ssim } from './ssim';

/** A real image the synthetic ones are compared with: one of the pool, or one of a registered training set. */
export type RealRef = { kind: 'pool'; imageId: string } | { kind: 'training'; set: string; index: number };
export type NearestMatch = { ref: RealRef; pearson: number; ssim: number };

/** Largest difference between the quantised screen's r and the exact r (measured over the shared sets in the tests). */
export const SCREEN_ERROR = 0.005;
/** Most candidates re-ranked exactly (each costs one double-precision correlation of 4096 values). */
const MAX_CANDIDATES = 512;

/**
 * The real images of one memorisation-check job, normalised once: each image's z-scored common-size
 * pixels are one int8 row of a matrix (dot-kernel.ts). `search` screens all rows with one SIMD pass,
 * re-ranks the best candidates with exact (double precision) Pearson correlations on the original
 * pixels, and adds SSIM for the ones it keeps.
 */
export class NearestRealIndex {
  private readonly kernel: DotKernel;
  private readonly refs: RealRef[] = [];
  private readonly pixels: Array<ArrayLike<number>> = [];
  private readonly dim: number;
  private readonly scratch: Float32Array;

  constructor(
    readonly capacity: number,
    readonly size = COMMON_SIZE,
    prefer: 'wasm-simd' | 'js' = 'wasm-simd',
  ) {
    this.dim = size * size;
    this.kernel = createDotKernel(capacity, this.dim, prefer);
    this.scratch = new Float32Array(this.dim);
  }

  get count(): number {
    return this.refs.length;
  }

  get kernelKind(): DotKernel['kind'] {
    return this.kernel.kind;
  }

  /** `pixels`: size×size intensities, kept by reference (for re-ranking and SSIM); do not change them later. */
  add(ref: RealRef, pixels: ArrayLike<number>): void {
    if (this.refs.length >= this.capacity) throw new Error(`the index holds at most ${this.capacity} images`);
    if (pixels.length !== this.dim) throw new Error(`expected ${this.size}×${this.size} pixels`);
    const row = this.refs.length;
    quantise(zScore(pixels, this.scratch), this.kernel.matrix.subarray(row * this.dim, (row + 1) * this.dim));
    this.refs.push(ref);
    this.pixels.push(pixels);
  }

  /**
   * The `top` real images most correlated with `query` (size×size intensities), best first. Candidates for
   * the exact re-ranking: the `top` best by the quantised screen and every row screened within
   * 2 × SCREEN_ERROR of the weakest of them (at most 512), so the exact top is what a full exact search
   * finds unless more than 512 images tie within 0.01.
   */
  search(query: ArrayLike<number>, top: number): NearestMatch[] {
    if (query.length !== this.dim) throw new Error(`expected ${this.size}×${this.size} pixels`);
    const count = this.refs.length;
    if (count === 0) return [];
    quantise(zScore(query, this.scratch), this.kernel.query);
    this.kernel.run();
    const candidates = this.candidates(Math.min(top, count));
    const exact = candidates
      .map((row) => ({ row, r: pearson(query, this.pixels[row]) }))
      .sort((a, b) => b.r - a.r || a.row - b.row)
      .slice(0, top);
    return exact.map(({ row, r }) => ({
      ref: this.refs[row],
      pearson: r,
      ssim: ssim(query, this.pixels[row], this.size, this.size),
    }));
  }

  private candidates(top: number): number[] {
    const scores = this.kernel.out;
    const count = this.refs.length;
    const best = topIndices(scores, count, top);
    const weakest = Math.min(...best.map((i) => scores[i]));
    const floor = weakest - Math.ceil(2 * SCREEN_ERROR * QUANT_SCALE * QUANT_SCALE * this.dim);
    const chosen = new Set(best);
    const near: number[] = [];
    for (let i = 0; i < count; i++) if (scores[i] >= floor && !chosen.has(i)) near.push(i);
    if (near.length + best.length > MAX_CANDIDATES) near.sort((a, b) => scores[b] - scores[a]).length = MAX_CANDIDATES - best.length;
    return [...best, ...near];
  }

  /** The quantised screen's estimate of r for row `row` after the last search (for tests). */
  screenedCorrelation(row: number): number {
    return this.kernel.out[row] / (QUANT_SCALE * QUANT_SCALE * this.dim);
  }
}

/** Indices of the k largest values among the first n, in no particular order (one pass, k-sized buffer). */
function topIndices(values: Int32Array, n: number, k: number): number[] {
  const best: number[] = [];
  let floor = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (best.length < k) {
      best.push(i);
      if (best.length === k) floor = minOf(values, best);
    } else if (v > floor) {
      let weakest = 0;
      for (let j = 1; j < k; j++) if (values[best[j]] < values[best[weakest]]) weakest = j;
      best[weakest] = i;
      floor = minOf(values, best);
    }
  }
  return best;
}

function minOf(values: Int32Array, indices: number[]): number {
  let m = Infinity;
  for (const i of indices) if (values[i] < m) m = values[i];
  return m;
}
