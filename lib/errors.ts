/**
 * An error meant for the person who caused it: an HTTP status and a message they can act on, plus
 * details (e.g. `problems`). Domain modules throw it without knowing about HTTP frameworks; lib/http
 * turns it into a JSON response.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
