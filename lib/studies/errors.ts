/**
 * Error types of the study engine. Each carries a message written for the person who has to fix
 * the input (a study admin), so callers can show `error.message` as is.
 */

/** Base class, so callers can catch every engine error with one `instanceof`. */
export class StudyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The study configuration does not validate; `issues` lists one readable line per problem. */
export class StudyConfigError extends StudyError {
  constructor(readonly issues: string[]) {
    super(`Invalid study configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

/** There are not enough eligible images to build what the configuration asks for. */
export class InsufficientImagesError extends StudyError {}

/**
 * The configuration cannot be satisfied by any ordering (for example syntheticFraction 0.9 with
 * maxRunLength 1). Thrown up front instead of searching forever.
 */
export class StudyInfeasibleError extends StudyError {}

export type StudyStateErrorCode = 'INVALID_TRANSITION' | 'REASON_REQUIRED' | 'NOT_EDITABLE';

/** A lifecycle rule was broken (wrong transition, missing reopen reason, editing a non-draft). */
export class StudyStateError extends StudyError {
  constructor(
    readonly code: StudyStateErrorCode,
    message: string,
  ) {
    super(message);
  }
}
