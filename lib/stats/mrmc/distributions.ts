import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantileStdlib from '@stdlib/stats-base-dists-t-quantile';

/*
 * Thin wrappers over @stdlib for the fractional-df t and F distributions of the OR–Hillis
 * analysis. Hillis df become infinite when a mean square is exactly 0, and stdlib is wrong there
 * (t-cdf(·, ∞) = 0.5, f-cdf(·, ·, ∞) = NaN) and loses accuracy for astronomically large df, so
 * beyond these limits the normal / χ² limit is used; its error there is below stdlib's own.
 */
const T_NORMAL_DF = 1e15;
const F_CHISQ_DF = 1e9;

/** Quantile of Student's t with (possibly fractional or infinite) df. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) return NaN;
  return df > T_NORMAL_DF ? normalQuantile(p, 0, 1) : tQuantileStdlib(p, df);
}

/** Two-sided p-value P(|T_df| ≥ |t|), computed from the lower tail to keep small p accurate. */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  const a = -Math.abs(t);
  if (a === -Infinity) return 0;
  return 2 * (df > T_NORMAL_DF ? normalCdf(a, 0, 1) : tCdf(a, df));
}

/**
 * Upper-tail p-value P(F_{df1,df2} ≥ f). The tail is taken as the lower tail of 1/F ~ F(df2, df1)
 * instead of 1 − cdf, which would lose small p-values to cancellation; df1 = 1 goes through the
 * equivalent two-sided t test.
 */
export function fUpperP(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f === Infinity) return 0;
  if (f <= 0) return 1;
  if (df1 === 1) return tTwoSidedP(Math.sqrt(f), df2);
  if (df2 > F_CHISQ_DF) return 1 - chisquareCdf(df1 * f, df1);
  return fCdf(1 / f, df2, df1);
}
