/**
 * Study configuration: what a reader sees and how the study is analysed. Validated with zod so the
 * admin UI, the API and the import scripts share one definition and one set of defaults.
 * Frozen (together with the image set) when the study leaves DRAFT; see lifecycle.ts.
 */
import { z } from 'zod';
import { StudyConfigError } from './errors';
import { interimLooksSchema } from './interim-plan';
import { ladderSchema } from './ladder';

/** Image attributes a study may stratify on; see select.ts for how each becomes a stratum key. */
export const STRATUM_ATTRIBUTES = ['modality', 'label', 'resolution'] as const;
export type StratumAttribute = (typeof STRATUM_ATTRIBUTES)[number];

/** The longest reader briefing a study may set (characters, after trimming). */
export const BRIEFING_MAX_LENGTH = 2000;

// Messages are phrased to follow the field name ("imagesPerReader: must be ...").
const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});
const int = (what: string) => z.number(required(what)).int({ error: `must be ${what}` });
const count = () => int('a whole number ≥ 0').min(0, { error: 'must be a whole number ≥ 0' });

// One message for both object-level failures: a non-object input and misspelt setting names.
const objectError = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `unknown setting(s): ${(issue.keys ?? []).join(', ')}` : 'must be an object',
};

export const studyConfigSchema = z
  .strictObject({
    /** Distinct scored images each reader reads (repeats and practice come on top). */
    imagesPerReader: int('a whole number ≥ 1')
      .min(1, { error: 'must be a whole number ≥ 1' })
      .max(100_000, { error: 'must be at most 100000' }),
    /** Share of synthetic images among the scored images, strictly between 0 and 1. */
    syntheticFraction: z
      .number(required('a number between 0 and 1'))
      .gt(0, { error: 'must be greater than 0 (a study needs both classes)' })
      .lt(1, { error: 'must be less than 1 (a study needs both classes)' })
      .default(0.5),
    /** Attributes whose combinations must each keep the real:synthetic ratio, so they are no cue. */
    strata: z
      .strictObject({
        by: z
          .array(z.enum(STRATUM_ATTRIBUTES, { error: `must be one of ${STRATUM_ATTRIBUTES.join(', ')}` }))
          .min(1, { error: 'must name at least one attribute' })
          .refine((a) => new Set(a).size === a.length, { error: 'must not repeat an attribute' }),
      })
      .optional(),
    /** Items shown before the scored block, with feedback; drawn from a separate practice pool. */
    practiceItems: count().default(0),
    /** Scored images shown a second time, to measure intra-reader agreement. */
    repeatedItems: count().default(0),
    /** Minimum number of other items between an image's first showing and its repeat. */
    repeatMinGap: count().default(2),
    /** Longest allowed run of one class in the scored block, so streaks carry no information. */
    maxRunLength: int('a whole number ≥ 1').min(1, { error: 'must be a whole number ≥ 1' }).default(3),
    /**
     * Scored items per block (the last block takes the remainder); each block holds floor or ceil
     * of its exact share of synthetic images (see block-plan.ts). Unset: one block.
     */
    blockSize: int('a whole number ≥ 1').min(1, { error: 'must be a whole number ≥ 1' }).optional(),
    /** Confidence rating scale shown with each answer (integers, inclusive). */
    confidenceScale: z
      .strictObject({
        // scores are confidence × class (lib/stats/synthetic-score.ts): a negative rating would flip the call
        min: int('a whole number').min(0, { error: 'must be 0 or more' }),
        max: int('a whole number'),
      })
      .refine((s) => s.min < s.max, { error: 'min must be less than max' })
      .default({ min: 1, max: 5 }),
    /** Whether the UI lets a reader look back at earlier items (answers stay append-only). */
    allowBack: z.boolean(required('true or false')).default(false),
    /** Equivalence margin around chance (0.5) used by the accuracy test. */
    margin: z
      .number(required('a number'))
      .gt(0, { error: 'must be greater than 0' })
      .lt(0.5, { error: 'must be less than 0.5' })
      .default(0.1),
    /** Significance level of the study's tests. */
    alpha: z
      .number(required('a number'))
      .gt(0, { error: 'must be greater than 0' })
      .max(0.5, { error: 'must be at most 0.5' })
      .default(0.05),
    /**
     * true: every reader reads the same selected images in a different order (needed for Fleiss'
     * kappa and MRMC analyses). false: each reader gets their own sample.
     */
    sameImagesForAllReaders: z.boolean(required('true or false')).default(true),
    /**
     * What the reader is told the study asks, on the briefing screen before the first image (the
     * screen adds the number of images, the feedback rules, a time estimate and the keys). Unset:
     * DEFAULT_BRIEFING. Optional, so configurations written before it existed keep their protocol hash.
     */
    briefing: z
      .string({ error: 'must be text' })
      .trim()
      .min(1, { error: 'must not be empty (leave it out for the default)' })
      .max(BRIEFING_MAX_LENGTH, { error: `must be at most ${BRIEFING_MAX_LENGTH} characters` })
      .optional(),
    /**
     * The leak audit run before opening (lib/privacy/leak-audit): its gate (encoding, metadata,
     * served length and headers, tokens, timing) always blocks; `maxAuc` is an optional limit on
     * the pixel-level cheap-feature classifier's cross-validated AUC. Unset: that AUC is reported,
     * not a gate. Optional, so configurations written before it existed keep their protocol hash.
     */
    leakAudit: z
      .strictObject({
        maxAuc: z
          .number(required('a number'))
          .min(0.5, { error: 'must be at least 0.5 (chance)' })
          .max(1, { error: 'must be at most 1' }),
      })
      .optional(),
    /**
     * Planned interim looks with alpha spending (interim-plan.ts). Unset: no interim looks, and the
     * live dashboard warns that repeated looks inflate the false-positive rate. Optional, so
     * configurations written before it existed keep their protocol hash.
     */
    interimLooks: interimLooksSchema.optional(),
    /**
     * Resolution ladder (ladder.ts): the pool shown at these display sizes, each case to each reader
     * at one rung (Latin square). Unset: images at the pool's size.
     */
    ladder: ladderSchema.optional(),
  }, objectError)
  .superRefine((c, ctx) => {
    if (c.repeatedItems > c.imagesPerReader) {
      ctx.addIssue({
        code: 'custom',
        path: ['repeatedItems'],
        message: `must be at most the images per reader (${c.imagesPerReader}); each image is repeated at most once`,
      });
    }
  });

/** The briefing of a study that sets none. */
export const DEFAULT_BRIEFING =
  'Some of the images in this study are real medical images; the others were made by a computer program (synthetic). ' +
  'For each image, decide whether it is real or synthetic, and say how sure you are.';

/** The text readers are briefed with: the study's own, else the default. */
export function briefingText(config: Pick<StudyConfig, 'briefing'>): string {
  return config.briefing ?? DEFAULT_BRIEFING;
}

/** A validated configuration with every default filled in. */
export type StudyConfig = z.output<typeof studyConfigSchema>;
/** What callers may pass in: defaults may be left out. */
export type StudyConfigInput = z.input<typeof studyConfigSchema>;

export type ConfigParseResult = { ok: true; config: StudyConfig } | { ok: false; issues: string[] };

/** Validates without throwing; `issues` are lines like "imagesPerReader: is required". */
export function safeParseStudyConfig(input: unknown): ConfigParseResult {
  const result = studyConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : `configuration: ${issue.message}`;
  });
  return { ok: false, issues };
}

/** Validates and fills defaults, or throws a StudyConfigError listing every problem. */
export function parseStudyConfig(input: unknown): StudyConfig {
  const result = safeParseStudyConfig(input);
  if (!result.ok) throw new StudyConfigError(result.issues);
  return result.config;
}

/** Length of the scored block: distinct images plus their repeats. */
export function scoredLength(config: Pick<StudyConfig, 'imagesPerReader' | 'repeatedItems'>): number {
  return config.imagesPerReader + config.repeatedItems;
}
