/**
 * An upload refused before anything is stored: a kind (lib/http.ts maps it to a status), a message a
 * person can act on, and every file that is wrong. Route handlers turn it into `{ error, problems }`.
 */
import { DomainError, type DomainErrorKind } from '@/lib/errors';

export type UploadProblem = { file: string; problem: string };

export class UploadError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly problems: UploadProblem[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(message, { problems, ...extra });
    this.name = 'UploadError';
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
