/**
 * The study engine: pure functions for configuring a visual Turing test, choosing its images,
 * ordering each reader's sequence and enforcing the study's rules. These files do no I/O: callers load
 * and store; everything here is deterministic given its inputs (seeds included).
 *
 * Typical flow:
 *   const config = parseStudyConfig(input);                       // DRAFT: edit freely
 *   const { images } = selectImages({ candidates, config, seed: selectionSeed(secret) });
 *   const hash = protocolHash(config, images);                    // on DRAFT → OPEN
 *   const seed = readerSeed(secret, readerId);
 *   const { items } = buildSequence({ images, practicePool, config, seed });  // store seed + items
 *
 * The database side sits beside the rules: store.ts (create, edit, open, close, reopen), design.ts
 * (the wizard's preview); answers are kept by lib/reading/store.ts, whose SQL enforces the reading
 * rules (only the current item of an open study, each answer once).
 */
export type { ImageOrigin, Phase, ReaderSequence, SequenceImage, SequenceItem } from './types';
export {
  InsufficientImagesError,
  StudyConfigError,
  StudyError,
  StudyInfeasibleError,
  StudyStateError,
  type StudyStateErrorCode,
} from './errors';
export {
  BRIEFING_MAX_LENGTH,
  DEFAULT_BRIEFING,
  STRATUM_ATTRIBUTES,
  briefingText,
  parseStudyConfig,
  safeParseStudyConfig,
  scoredLength,
  studyConfigSchema,
  type ConfigParseResult,
  type StratumAttribute,
  type StudyConfig,
  type StudyConfigInput,
} from './config';
export { deriveSeed, readerSeed, selectionSeed } from './rng';
export { STUDY_TEMPLATES, studyTemplate, type StudyTemplate } from './templates';
export { caseGroups, ladderProblems, ladderSchema, latinSquareRungs, type LadderCase, type LadderPlan } from './ladder';
export { interimLooksSchema, SPENDING_FAMILY_NAMES, type InterimLooksPlan } from './interim-plan';
export {
  selectImages,
  stratumCounts,
  type CandidateImage,
  type ClassCounts,
  type SelectInput,
  type Selection,
  type StratumReport,
} from './select';
export { buildSequence, scoredFeasibility, type BuildSequenceInput } from './sequence';
export type { Feasibility } from './class-pattern';
export { sequenceViolations, type ValidateSequenceInput } from './validate';
export {
  PROTOCOL_HASH_VERSION,
  STUDY_STATES,
  assertEditable,
  assertTransition,
  canTransition,
  isEditable,
  nextStates,
  protocolDocument,
  protocolHash,
  transitionError,
  type ProtocolImage,
  type StudyState,
  type TransitionOptions,
} from './transitions';
