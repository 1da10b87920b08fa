/**
 * Errors meant for the person who caused them: a message they can act on, plus details (e.g.
 * `problems`). Domain code throws these subclasses and knows nothing of HTTP; lib/http.ts alone maps
 * each kind to a status and turns the error into a JSON response.
 */
export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'too-large' | 'unsupported-media' | 'unprocessable' | 'unavailable' | 'internal';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is malformed or asks for something not allowed (a missing name, a reader invited twice). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
}

/** No valid session: not signed in, or the session ended (signed out, password changed, account disabled). */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

/** The caller may see the thing but not do this to it (a team member changing the team: only the owner or an admin). */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** No such thing, or not one the caller may see (both answer alike, so probing learns nothing). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The thing exists but its state forbids this now (a closed study, an answer already given). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The upload or request is larger than a configured limit. */
export class TooLargeError extends DomainError {
  readonly kind = 'too-large';
}

/** The request body is not of a type this endpoint takes. */
export class UnsupportedMediaError extends DomainError {
  readonly kind = 'unsupported-media';
}

/** Well-formed, but its content is refused (a batch with bad files, a leak audit that fails). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
}

/** A needed service (a compute backend) is not available now; the request can be retried. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}
