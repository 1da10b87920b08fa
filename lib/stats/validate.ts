/**
 * Input checks shared by the statistics module. Every public function validates at its edge so a
 * bad call fails loudly with the function and argument named, instead of returning NaN deep inside
 * a report. TypeError: wrong kind of value (not a number, not an array); RangeError: a number of
 * the right kind outside the domain (negative count, non-integer count, k > n, level not in (0, 1)).
 */
import type { Alternative } from './types';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** A number that is not NaN (±Infinity passes; domain checks follow). */
export function assertNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${fn}: ${name} must be a number (got ${show(value)})`);
  }
}

/** A count: a finite integer ≥ min (default 0), at most 2^53 − 1 so arithmetic on it stays exact. */
export function assertCount(fn: string, name: string, value: unknown, min = 0): asserts value is number {
  assertNumber(fn, name, value);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${fn}: ${name} must be a whole number (got ${show(value)})`);
  }
  if (value < min) throw new RangeError(`${fn}: ${name} must be ≥ ${min} (got ${value})`);
}

/** Successes k out of n trials: 0 ≤ k ≤ n and n ≥ 1 (an empty sample has no proportion). */
export function assertKN(fn: string, k: unknown, n: unknown): asserts k is number {
  assertCount(fn, 'n', n, 1);
  assertCount(fn, 'k', k);
  if ((k as number) > (n as number)) throw new RangeError(`${fn}: k must be ≤ n (got k = ${k}, n = ${n})`);
}

/** A probability strictly inside (0, 1): a null proportion or a confidence level. */
export function assertOpenUnit(fn: string, name: string, value: unknown): asserts value is number {
  assertNumber(fn, name, value);
  if (!(value > 0 && value < 1)) {
    throw new RangeError(`${fn}: ${name} must be strictly between 0 and 1 (got ${value})`);
  }
}

/** A probability in [0, 1], ends included: a true proportion under which power is computed. */
export function assertClosedUnit(fn: string, name: string, value: unknown): asserts value is number {
  assertNumber(fn, name, value);
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${fn}: ${name} must be between 0 and 1 (got ${value})`);
}

/** One of the three alternatives of `Alternative`. */
export function assertAlternative(fn: string, value: unknown): asserts value is Alternative {
  if (value !== 'two-sided' && value !== 'greater' && value !== 'less') {
    throw new TypeError(`${fn}: alternative must be 'two-sided', 'greater' or 'less' (got ${show(value)})`);
  }
}

/** A plain JavaScript array (typed arrays and array-likes are refused, to keep one input shape). */
export function assertArray(fn: string, name: string, value: unknown): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be an array (got ${show(value)})`);
}

/** Paired inputs (scores and truths, two raters' ratings) must line up element for element. */
export function assertSameLength(fn: string, a: string, av: unknown[], b: string, bv: unknown[]): void {
  if (av.length !== bv.length) {
    throw new RangeError(`${fn}: ${a} and ${b} must have the same length (got ${av.length} and ${bv.length})`);
  }
}
