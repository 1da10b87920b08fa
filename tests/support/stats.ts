/**
 * Comparison helpers for the statistics tests. Expected values come from the scipy reference
 * (fixtures/make_fixtures.py); JSON has no NaN, so the reference writes null where the
 * statistic is undefined and these helpers read null as "expect NaN".
 */

/** Default tolerance: relative error ≤ 1e-9, as the module promises against the reference. */
export const REL = 1e-9;

/** Below this a p-value has underflowed in double precision (the reference writes 0 or a subnormal). */
const UNDERFLOW = 1e-300;

export interface CloseOptions {
  rel?: number;
  /** Absolute floor for statistics that can sit at 0 (kappa, z); keep 0 for p-values. */
  abs?: number;
}

/** Why `actual` is not within tolerance of `expected`, or null when it is. */
export function mismatch(actual: unknown, expected: number | null, opts: CloseOptions = {}): string | null {
  const { rel = REL, abs = 0 } = opts;
  if (typeof actual !== 'number') return `expected a number, got ${String(actual)}`;
  if (expected === null) return Number.isNaN(actual) ? null : `expected NaN, got ${actual}`;
  if (Number.isNaN(actual)) return `expected ${expected}, got NaN`;
  if (actual === expected) return null;
  if (Math.abs(expected) < UNDERFLOW && Math.abs(actual) < UNDERFLOW) return null;
  const err = Math.abs(actual - expected);
  if (err <= abs || err <= rel * Math.abs(expected)) return null;
  return `expected ${expected}, got ${actual} (relative error ${(err / Math.abs(expected)).toExponential(2)})`;
}

/** Keys whose values are p-values: compared by relative error only, never an absolute floor. */
const P_VALUE_KEYS = new Set(['pValue', 'pLower', 'pUpper', 'pValueHolm']);

/**
 * Every difference between `actual` and the reference `expected` (plain JSON), as "path: why"
 * lines; an empty list means they agree. Numbers use relative error ≤ 1e-9; statistics that may
 * be near 0 also pass within 1e-14 absolute, p-values never do.
 */
export function deepMismatches(actual: unknown, expected: unknown, path = '$'): string[] {
  if (expected === null || typeof expected === 'number') {
    if (expected === null && actual === null) return [];
    const key = path.slice(path.lastIndexOf('.') + 1);
    const why = mismatch(actual, expected as number | null, { abs: P_VALUE_KEYS.has(key) ? 0 : 1e-14 });
    return why ? [`${path}: ${why}`] : [];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${String(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected length ${expected.length}, got ${actual.length}`];
    return expected.flatMap((e, i) => deepMismatches(actual[i], e, `${path}[${i}]`));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${String(actual)}`];
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: not in the reference`);
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${path}.${k}: missing`);
      else out.push(...deepMismatches(a[k], e[k], `${path}.${k}`));
    }
    return out;
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${String(expected)}, got ${String(actual)}`];
}
