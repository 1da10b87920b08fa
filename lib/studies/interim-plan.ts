/**
 * Planned interim looks: part of the study configuration, so of the frozen protocol and its hash.
 * Look k analyses the first ⌈f_k·N⌉ scored answers in the order the server stored them (N: planned
 * scored answers, images per reader × readers); the final look analyses all N. The boundaries come
 * from a Lan–DeMets spending function (lib/stats/group-sequential.ts).
 */
import { z } from 'zod';

export const SPENDING_FAMILY_NAMES = {
  'obrien-fleming': "O'Brien–Fleming type",
  pocock: 'Pocock type',
} as const;

export const interimLooksSchema = z.strictObject({
  /** Fractions of the planned answers at which to look before the end, increasing, 1 to 4 of them. */
  at: z
    .array(
      z
        .number({ error: 'must be numbers' })
        .gt(0, { error: 'must be greater than 0' })
        .lt(1, { error: 'must be less than 1 (the final analysis is always at 100 %)' }),
      { error: 'must be a list of fractions' },
    )
    .min(1, { error: 'must plan at least one look (or leave interim looks out)' })
    .max(4, { error: 'may plan at most 4 interim looks' })
    .refine((a) => a.every((f, i) => i === 0 || f > a[i - 1]), { error: 'must increase' }),
  /** Lan–DeMets alpha-spending function. */
  spending: z
    .enum(['obrien-fleming', 'pocock'], { error: "must be 'obrien-fleming' or 'pocock'" })
    .default('obrien-fleming'),
});

export type InterimLooksPlan = z.output<typeof interimLooksSchema>;
