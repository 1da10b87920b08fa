// One error type for every refusal of a checkpoint or a generation request: routes map `code` to an HTTP
// status and show `message` as is. Messages say what is wrong and, where it helps, what to do.

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

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointError';
    this.code = code;
  }
}

export function isCheckpointError(e: unknown): e is CheckpointError {
  return e instanceof CheckpointError;
}
