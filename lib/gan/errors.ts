import { DomainError, type DomainErrorKind } from '@/lib/errors';

// One error type for every refusal of a checkpoint or a generation request; its kind follows from `code`
// (lib/http.ts maps kinds to HTTP). Messages say what is wrong and, where it helps, what to do.

export type CheckpointErrorCode =
  | 'NOT_A_ZIP'
  | 'TOO_LARGE'
  | 'TOO_MANY_ENTRIES'
  | 'BAD_PATH'
  | 'MISSING_FILE'
  | 'UNEXPECTED_FILE'
  | 'BAD_MANIFEST'
  | 'BAD_MODEL'
  | 'MISSING_SHARD'
  | 'BAD_WEIGHTS'
  | 'WRONG_SHAPE'
  | 'BAD_OUTPUT'
  | 'BAD_REQUEST'
  | 'BACKEND';

export class CheckpointError extends DomainError {
  readonly code: CheckpointErrorCode;
  readonly kind: DomainErrorKind;

  constructor(code: CheckpointErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.details, options);
    this.name = 'CheckpointError';
    this.code = code;
    this.kind = code === 'TOO_LARGE' ? 'too-large' : code === 'BACKEND' ? 'unavailable' : code === 'BAD_REQUEST' ? 'invalid' : 'unprocessable';
  }
}

export function isCheckpointError(e: unknown): e is CheckpointError {
  return e instanceof CheckpointError;
}
