/**
 * frd-score v0's feature normalisation: each feature min-max scaled over both sets together (its
 * `norm_across` / joint reference) onto [0, 7.45670747756958] (the package's default range); a
 * feature with one value in both sets becomes the middle of the range, and so does a missing (NaN, or
 * infinite) value. Returns new rows; the inputs are left as they are.
 */
export const FRD_NORM_RANGE: readonly [number, number] = [0, 7.45670747756958];

export function normaliseJointly(sets: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>, range: readonly [number, number] = FRD_NORM_RANGE): Float64Array[][] {
  const rows = sets.flat();
  if (rows.length === 0) return sets.map(() => []);
  const d = rows[0].length;
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  for (const row of rows) {
    for (let k = 0; k < d; k++) {
      const x = row[k];
      if (!Number.isFinite(x)) continue;
      if (x < min[k]) min[k] = x;
      if (x > max[k]) max[k] = x;
    }
  }
  const [low, high] = range;
  const middle = (low + high) / 2;
  return sets.map((set) =>
    set.map((row) => {
      const out = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        const x = row[k];
        const span = max[k] - min[k];
        out[k] = !Number.isFinite(x) || !(span > 0) ? middle : ((x - min[k]) / span) * (high - low) + low;
      }
      return out;
    }),
  );
}
