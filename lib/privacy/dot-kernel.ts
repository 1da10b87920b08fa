/**
 * The inner loop of the memorisation check: dot products of one query vector with every row of a
 * row-major matrix. With z-scored rows, dot / n is Pearson's r, so one query against 20,000 64×64
 * images is 82 million multiply-adds over the whole matrix.
 *
 * At float32 that matrix is 328 MB, and one pass over it takes 70–90 ms here whatever does the
 * arithmetic: the loop waits for memory. So the matrix is quantised to int8 (z-scores × 32, clamped to
 * ±127: steps of 1/32 standard deviation; |Δr| < 0.005, measured in the tests) and the loop is a
 * WebAssembly SIMD one (i16x8 widening, i32x4.dot_i16x8_s, four accumulators): a quarter of the memory
 * traffic and 32 multiply-adds per iteration. The search re-ranks its best candidates with exact
 * double-precision correlations (nearest.ts), so stored scores are exact.
 *
 * The module's source is dot-kernel.wat (WebAssembly text); scripts/assemble-dot-kernel.ts assembles it
 * with wabt into dot-kernel-wasm.ts, and a test checks that the committed bytes are the source's. Where
 * WebAssembly SIMD is missing, a JavaScript loop computes the same integers (tested).
 */
import { DOT_KERNEL_WASM_BASE64 } from './dot-kernel-wasm';

export interface DotKernel {
  readonly kind: 'wasm-simd' | 'js';
  /** Row-major rows × dim int8 values, living in the kernel's memory; fill it in place (see quantise). */
  readonly matrix: Int8Array;
  /** The query vector (dim values, same scale as the matrix, widened to int16); fill it before `run`. */
  readonly query: Int16Array;
  /** After `run`: out[r] = matrix row r · query, exactly (integers). */
  readonly out: Int32Array;
  run(): void;
}

/** Vectors must have a multiple of this many values (pad with zeros, which change no dot product). */
export const DIM_MULTIPLE = 32;
/** Quantisation scale: value = round(z × QUANT_SCALE), clamped to ±127 (±3.97 standard deviations). */
export const QUANT_SCALE = 32;

/** Writes round(z × QUANT_SCALE), clamped to the int8 range, into `out` (a matrix row or the query). */
export function quantise(z: ArrayLike<number>, out: Int8Array | Int16Array): void {
  for (let i = 0; i < z.length; i++) {
    const v = Math.round(z[i] * QUANT_SCALE);
    out[i] = v > 127 ? 127 : v < -127 ? -127 : v;
  }
}

export function createDotKernel(rows: number, dim: number, prefer: 'wasm-simd' | 'js' = 'wasm-simd'): DotKernel {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dim) || dim <= 0 || dim % DIM_MULTIPLE !== 0) {
    throw new Error(`dot kernel: rows must be ≥ 0 and dim a positive multiple of ${DIM_MULTIPLE}`);
  }
  const module = prefer === 'wasm-simd' ? wasmSimdModule() : null;
  return module ? wasmKernel(rows, dim, module) : jsKernel(rows, dim);
}

function jsKernel(rows: number, dim: number): DotKernel {
  const matrix = new Int8Array(rows * dim);
  const query = new Int16Array(dim);
  const out = new Int32Array(rows);
  return {
    kind: 'js',
    matrix,
    query,
    out,
    run() {
      for (let r = 0, base = 0; r < rows; r++, base += dim) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let j = 0; j < dim; j += 4) {
          a0 += matrix[base + j] * query[j];
          a1 += matrix[base + j + 1] * query[j + 1];
          a2 += matrix[base + j + 2] * query[j + 2];
          a3 += matrix[base + j + 3] * query[j + 3];
        }
        out[r] = a0 + a1 + a2 + a3;
      }
    },
  };
}

function wasmKernel(rows: number, dim: number, module: WebAssembly.Module): DotKernel {
  // Layout: matrix (rows·dim bytes), query (2·dim bytes), out (4·rows bytes); all 16-byte aligned.
  const queryOffset = align16(rows * dim);
  const outOffset = align16(queryOffset + 2 * dim);
  const pages = Math.ceil((outOffset + 4 * Math.max(rows, 1)) / 65536);
  if (pages > 65536) throw new Error(`dot kernel: ${rows} rows of ${dim} values do not fit in 4 GiB`);
  const memory = new WebAssembly.Memory({ initial: Math.max(1, pages) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const dots = instance.exports.dots as (matrix: number, query: number, out: number, rows: number, dim: number) => void;
  return {
    kind: 'wasm-simd',
    matrix: new Int8Array(memory.buffer, 0, rows * dim),
    query: new Int16Array(memory.buffer, queryOffset, dim),
    out: new Int32Array(memory.buffer, outOffset, rows),
    run() {
      if (rows > 0) dots(0, queryOffset, outOffset, rows, dim);
    },
  };
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this runtime lacks WebAssembly SIMD. */
function wasmSimdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Buffer.from(DOT_KERNEL_WASM_BASE64, 'base64');
    compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}
