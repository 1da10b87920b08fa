/** Shared vocabulary of the statistics module. */

/** Direction of the alternative hypothesis, as in R `binom.test` and scipy `binomtest`. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** A confidence interval as [lower, upper]. */
export type Interval = [number, number];
