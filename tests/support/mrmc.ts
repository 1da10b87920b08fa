/**
 * Helpers shared by the MRMC tests (no production code imports this file): brute-force
 * definitions to check the fast estimators against, a seeded generator, and comparisons.
 */
import type { MrmcRecord } from '@/lib/stats/mrmc/types';
import { uniformFromSeed } from '@/lib/studies/rng';

/** ψ(x, y) of the Mann–Whitney AUC. */
export function psi(x: number, y: number): number {
  return x > y ? 1 : x === y ? 0.5 : 0;
}

/** The full n1 × n0 ψ matrix, the O(n1·n0) definition every fast path is checked against. */
export function psiMatrix(pos: ArrayLike<number>, neg: ArrayLike<number>): number[][] {
  return Array.from(pos, (x) => Array.from(neg, (y) => psi(x, y)));
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The project's seeded generator (lib/studies/rng.ts), so generated designs are reproducible. */
export const rng = uniformFromSeed;

/** Standard normal by Box–Muller from a uniform generator. */
export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/**
 * A fully crossed binormal design with a shared case effect (so AUCs correlate across readers and
 * tests) and optional rounding to create ties.
 */
export function simulateDesign(opts: {
  seed: number;
  readers: number;
  tests: number;
  n0: number;
  n1: number;
  separation?: number;
  round?: (z: number) => number;
}): MrmcRecord[] {
  const u = rng(opts.seed);
  const n = opts.n0 + opts.n1;
  const caseEffect = Array.from({ length: n }, () => normal(u));
  const round = opts.round ?? ((z: number) => z);
  const records: MrmcRecord[] = [];
  for (let t = 0; t < opts.tests; t++) {
    for (let r = 0; r < opts.readers; r++) {
      for (let c = 0; c < n; c++) {
        const truth = c < opts.n1 ? 1 : 0;
        const z = (opts.separation ?? 1) * truth + 0.6 * caseEffect[c] + 0.8 * normal(u);
        records.push({ reader: `r${r + 1}`, test: `t${t + 1}`, case: `c${c + 1}`, truth, rating: round(z) });
      }
    }
  }
  return records;
}

/** |actual − expected| ≤ rel·|expected| + abs, with a readable failure message. */
export function closeTo(actual: number, expected: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
}

/**
 * Walks `expected` and collects every number in `actual` that differs beyond the tolerance (and
 * every string/length mismatch); returns the worst relative error seen as well.
 */
export function compareDeep(
  actual: unknown,
  expected: unknown,
  rel: number,
  abs: number,
  path = '$',
  out: { mismatches: string[]; worst: number } = { mismatches: [], worst: 0 },
): { mismatches: string[]; worst: number } {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') out.mismatches.push(`${path}: expected number, got ${typeof actual}`);
    else {
      if (!closeTo(actual, expected, rel, abs)) out.mismatches.push(`${path}: ${actual} vs expected ${expected}`);
      if (expected !== 0 && Number.isFinite(expected)) {
        out.worst = Math.max(out.worst, Math.abs(actual - expected) / Math.abs(expected));
      }
    }
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.mismatches.push(`${path}: expected array of ${expected.length}`);
    } else expected.forEach((e, i) => compareDeep(actual[i], e, rel, abs, `${path}[${i}]`, out));
  } else if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') out.mismatches.push(`${path}: expected object`);
    else {
      for (const [key, e] of Object.entries(expected)) {
        compareDeep((actual as Record<string, unknown>)[key], e, rel, abs, `${path}.${key}`, out);
      }
    }
  } else if (actual !== expected) {
    out.mismatches.push(`${path}: ${JSON.stringify(actual)} vs expected ${JSON.stringify(expected)}`);
  }
  return out;
}
