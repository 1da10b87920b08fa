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

const neighbourTables = new Map<string, Int32Array>();

/**
 * The 8-neighbourhood (Chebyshev distance 1 in the plane) of every pixel of a width × height image: entry
 * 8·p + k is the index of pixel p's k-th neighbour, or −1 past the image's edge. One table per image size
 * (cached: a feature set's images share one), read by every texture matrix that looks at all 8 neighbours
 * (gldm, glszm, ngtdm), so the neighbourhood and its edge handling are written once.
 */
export function neighbours8(width: number, height: number): Int32Array {
  const key = `${width}x${height}`;
  let table = neighbourTables.get(key);
  if (table) return table;
  table = new Int32Array(width * height * 8).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let k = (y * width + x) * 8;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (dy === 0 && dx === 0) continue;
          const ny = y + dy;
          const nx = x + dx;
          if (ny >= 0 && ny < height && nx >= 0 && nx < width) table[k] = ny * width + nx;
          k++;
        }
      }
    }
  }
  neighbourTables.set(key, table);
  return table;
}

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
