/**
 * Mean squares of the two-way test × reader table of AUCs, the ANOVA on which the
 * Obuchowski–Rockette model is built (Obuchowski & Rockette 1995; Hillis 2007):
 * MS(T) = R·Σ_i(θ_i· − θ··)²/(T − 1), MS(R) = T·Σ_j(θ_·j − θ··)²/(R − 1),
 * MS(T×R) = ΣΣ(θ_ij − θ_i· − θ_·j + θ··)²/((T − 1)(R − 1)). `auc[i][j]` is test i, reader j.
 * With one test only MS(R) exists.
 */
export function meanSquares(auc: readonly (readonly number[])[]): { t?: number; r: number; tr?: number } {
  const T = auc.length;
  const R = T > 0 ? auc[0].length : 0;
  if (T < 1 || R < 2 || auc.some((row) => row.length !== R)) {
    throw new Error('meanSquares: need a rectangular test × reader table with at least 2 readers');
  }
  const testMean = auc.map((row) => row.reduce((a, b) => a + b, 0) / R);
  const readerMean = Array.from({ length: R }, (_, j) => auc.reduce((a, row) => a + row[j], 0) / T);
  const grand = testMean.reduce((a, b) => a + b, 0) / T;
  const r = (T * readerMean.reduce((a, m) => a + (m - grand) ** 2, 0)) / (R - 1);
  if (T === 1) return { r };
  const t = (R * testMean.reduce((a, m) => a + (m - grand) ** 2, 0)) / (T - 1);
  let ss = 0;
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < R; j++) ss += (auc[i][j] - testMean[i] - readerMean[j] + grand) ** 2;
  }
  return { t, r, tr: ss / ((T - 1) * (R - 1)) };
}
