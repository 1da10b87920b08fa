/**
 * The four in-plane directions of 2D texture matrices at distance 1 (0°, 45°, 90°, 135°), as (dy, dx).
 * With symmetric counting each also stands for its opposite, so together they cover the 8-neighbourhood.
 */
export const DIRECTIONS_2D: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
];

/** Averages feature records over directions (IBSI "2D, averaged": compute per matrix, then average). */
export function averageFeatures(perDirection: Array<Record<string, number>>): Record<string, number> {
  if (perDirection.length === 0) throw new Error('no texture matrix had any entries');
  const out: Record<string, number> = {};
  for (const key of Object.keys(perDirection[0])) {
    let sum = 0;
    for (const features of perDirection) sum += features[key];
    out[key] = sum / perDirection.length;
  }
  return out;
}
