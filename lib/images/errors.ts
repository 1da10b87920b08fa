// One error type for every refusal, so callers (upload route, importer) can map `code` to an HTTP
// status or a CLI exit and show `message` as is: messages say what is wrong and what to do.

export type ImageErrorCode =
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'NOT_AN_IMAGE'
  | 'CORRUPT_PNG'
  | 'UNSUPPORTED_PNG'
  | 'COLOUR_NOT_ALLOWED'
  | 'TRANSPARENCY_NOT_ALLOWED'
  | 'WRONG_DIMENSIONS'
  | 'WRONG_BIT_DEPTH'
  | 'WRONG_MODALITY'
  | 'TRUNCATED_DICOM'
  | 'CORRUPT_DICOM'
  | 'NO_PIXEL_DATA'
  | 'UNSUPPORTED_TRANSFER_SYNTAX'
  | 'UNSUPPORTED_DICOM'
  | 'BLANK_IMAGE';

export class ImageError extends Error {
  readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}

/** Third-party parsers throw strings, plain objects or Errors; get something printable. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'exception' in e) return describeThrown((e as { exception: unknown }).exception);
  return String(e);
}
