import type { NearestMatch } from './nearest';

/**
 * The memorisation (near-copy) rule. Following Akbar et al., "Beware of diffusion models for synthesizing
 * medical images — a comparison with GANs in terms of memorizing brain MRI and chest x-ray images"
 * (arXiv 2305.07644), a synthetic image is compared with every real image by Pearson's correlation of
 * intensity-normalised pixels at a common size (here 64×64, the training sets' size); a correlation
 * close to 1 means the generator reproduced a real image. SSIM (7×7 windows) on the same pair is the
 * structural second opinion: noise or a brightness change can lower r a little while the structure is
 * still a copy.
 *
 * Default thresholds (configurable, lib/config.ts), from the shared data at 64×64: distinct real chest
 * radiographs reach r ≤ 0.952 with their nearest neighbour (SSIM ≤ 0.74); a real radiograph plus noise
 * reaches r ≈ 0.999, SSIM ≈ 0.99. Adjacent head CT slices of one patient reach r ≈ 0.99 and are flagged:
 * a generator that reproduces a training patient's slice is memorising, and an admin reviews them.
 */
export type MemorisationThresholds = { pearson: number; ssim: number };

export type MemorisationVerdict = {
  /** Highest Pearson correlation with any real image; null when there was no real image to compare with. */
  nearestRealSimilarity: number | null;
  isNearCopy: boolean;
  /** Why it was flagged, for people. */
  reason: string | null;
};

export function assessMatches(matches: readonly NearestMatch[], thresholds: MemorisationThresholds): MemorisationVerdict {
  if (matches.length === 0) return { nearestRealSimilarity: null, isNearCopy: false, reason: null };
  const best = matches.reduce((a, b) => (b.pearson > a.pearson ? b : a));
  const structural = matches.reduce((a, b) => (b.ssim > a.ssim ? b : a));
  if (best.pearson >= thresholds.pearson) {
    return { nearestRealSimilarity: best.pearson, isNearCopy: true, reason: `Pearson r ${best.pearson.toFixed(3)} ≥ ${thresholds.pearson}` };
  }
  if (structural.ssim >= thresholds.ssim) {
    return { nearestRealSimilarity: best.pearson, isNearCopy: true, reason: `SSIM ${structural.ssim.toFixed(3)} ≥ ${thresholds.ssim}` };
  }
  return { nearestRealSimilarity: best.pearson, isNearCopy: false, reason: null };
}
