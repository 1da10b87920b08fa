/**
 * Resolution ladders: one pool shown at several display resolutions, each case to each reader at
 * exactly one rung. The derived images come from lib/pools/derive.ts (area averaging, lib/images);
 * this file holds the configuration and the Latin-square assignment, both pure.
 */
import { z } from 'zod';
import { MIN_SIDE } from '@/lib/images/validate';

export const ladderSchema = z.strictObject({
  /** Display resolutions (side in pixels), increasing, each at most the pool's side; 2–5 rungs. */
  sizes: z
    .array(z.number({ error: 'must be whole numbers' }).int({ error: 'must be whole numbers' }).min(MIN_SIDE, { error: `must be at least ${MIN_SIDE}` }), {
      error: 'must be a list of sizes',
    })
    .min(2, { error: 'must have at least 2 rungs' })
    .max(5, { error: 'may have at most 5 rungs' })
    .refine((a) => a.every((s, i) => i === 0 || s > a[i - 1]), { error: 'must increase' }),
});

export type LadderPlan = z.output<typeof ladderSchema>;

export interface LadderCase {
  origin: 'REAL' | 'SYNTHETIC';
}

/**
 * Latin-square assignment of cases to rungs: the cases of each class, in the given (seeded)
 * selection order, are dealt round-robin into `rungs` groups, so every group keeps the study's
 * real:synthetic ratio (within one image per class); reader r sees group g at rung (g + r) mod
 * rungs. Each reader thus sees each case once, at one rung, with the groups spread evenly over the
 * rungs, and any `rungs` consecutive readers together show every case at every rung.
 * Returns rung indexes, [reader][case].
 *
 * Reference: the Williams/Latin-square crossover layout (Williams E.J. 1949, Aust J Sci Res A
 * 2:149–168), as used for multi-reader multi-resolution observer studies.
 */
export function latinSquareRungs(cases: readonly LadderCase[], rungs: number, readers: number): number[][] {
  if (!Number.isInteger(rungs) || rungs < 1) throw new RangeError(`latinSquareRungs: rungs must be a whole number ≥ 1 (got ${rungs})`);
  const group = caseGroups(cases, rungs);
  return Array.from({ length: readers }, (_, r) => group.map((g) => (g + r) % rungs));
}

/** The group of each case: its rank within its class, modulo the number of rungs. */
export function caseGroups(cases: readonly LadderCase[], rungs: number): number[] {
  const seen = { REAL: 0, SYNTHETIC: 0 };
  // Synthetic cases continue where the real ones stopped, so the group sizes differ by at most one.
  const realCount = cases.filter((c) => c.origin === 'REAL').length;
  return cases.map((c) => (c.origin === 'REAL' ? seen.REAL++ : realCount + seen.SYNTHETIC++) % rungs);
}

/** Problems that stop a ladder study from opening (empty when none). */
export function ladderProblems(plan: LadderPlan, poolSides: readonly number[], readers: number, sameImagesForAllReaders: boolean): string[] {
  const problems: string[] = [];
  const smallest = Math.min(...poolSides);
  const tooLarge = plan.sizes.filter((s) => s > smallest);
  if (tooLarge.length) problems.push(`ladder.sizes: ${tooLarge.join(', ')} px exceed the pool size (${smallest} px); rungs can only be at or below it.`);
  if (!sameImagesForAllReaders) problems.push('A resolution ladder needs every reader to read the same images (sameImagesForAllReaders).');
  if (readers < plan.sizes.length) {
    problems.push(`Invite at least ${plan.sizes.length} readers: with fewer, some cases never appear at some rungs.`);
  } else if (readers % plan.sizes.length !== 0) {
    problems.push(`Invite a multiple of ${plan.sizes.length} readers, so every case appears at every rung equally often.`);
  }
  return problems;
}
