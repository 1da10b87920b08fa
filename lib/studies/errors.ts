import { DomainError, type DomainErrorKind } from '@/lib/errors';

/**
 * Error types of the study engine. Each carries a message written for the person who has to fix
 * the input (a study admin), so callers can show `error.message` as is.
 */

/** Base class, so callers can catch every engine error with one `instanceof`. */
export class StudyError extends DomainError {
  readonly kind: DomainErrorKind = 'unprocessable';

  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** The study configuration does not validate; `issues` lists one readable line per problem. */
export class StudyConfigError extends StudyError {
  override readonly kind: DomainErrorKind = 'invalid';

  constructor(readonly issues: string[]) {
    super(`Invalid study configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`, { problems: issues });
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
  override readonly kind: DomainErrorKind = 'conflict';

  constructor(
    readonly code: StudyStateErrorCode,
    message: string,
  ) {
    super(message, { code });
  }
}
