import busboy from 'busboy';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { formatBytes, UploadError } from './errors';

/**
 * Receives a multipart/form-data upload (one file field `file` plus small text fields) by streaming the
 * file to a temporary file: the upload is never held in memory whole. Past `maxBytes` the request is
 * refused with 413 at once — by its Content-Length when it declares one, else as soon as the streamed
 * bytes pass the limit — and the rest of the body is not read.
 */
export type ReceivedUpload = {
  /** Temporary file holding the upload; the caller deletes it (see `discard`). */
  path: string;
  /** The file name the browser sent (admin-only provenance). */
  fileName: string;
  size: number;
  fields: Record<string, string>;
};

/** Room for the multipart framing and the text fields around the file. */
const FRAMING_ALLOWANCE = 64 * 1024;

export async function receiveUpload(request: Request, options: { maxBytes: number; tmpDir?: string }): Promise<ReceivedUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new UploadError('unsupported-media', 'Send the batch as multipart/form-data with a "file" field (a .zip), "modality" and "origin".');
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes + FRAMING_ALLOWANCE) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(options.maxBytes, declared);
  }
  if (!request.body) throw new UploadError('invalid', 'The request has no body.');

  const source = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);
  const tmpPath = path.join(options.tmpDir ?? os.tmpdir(), `reader-study-upload-${crypto.randomUUID()}.zip`);
  const fields: Record<string, string> = {};
  let fileName: string | null = null;
  let size = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let fileWritten: Promise<void> = Promise.resolve();
      const fail = (error: UploadError) => {
        if (settled) return;
        settled = true;
        // Stop reading the request: nothing more of it is wanted.
        source.unpipe();
        source.destroy();
        reject(error);
      };
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: { 'content-type': contentType },
          limits: { files: 1, fileSize: options.maxBytes, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 50 },
        });
      } catch (error) {
        fail(new UploadError('invalid', `The multipart body is malformed (${(error as Error).message}).`));
        return;
      }
      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || fileName !== null) {
          stream.resume();
          fail(new UploadError('invalid', `Unexpected file field "${name}"; send one zip in the field "file".`));
          return;
        }
        fileName = info.filename || 'upload.zip';
        const out = fs.createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 });
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        stream.on('limit', () => fail(tooLarge(options.maxBytes)));
        fileWritten = new Promise((done, broken) => {
          out.on('finish', done);
          out.on('error', broken);
        });
        stream.pipe(out);
      });
      parser.on('field', (name, value, info) => {
        if (info.valueTruncated) fail(new UploadError('invalid', `The field "${name}" is too long.`));
        else fields[name] = value;
      });
      parser.on('filesLimit', () => fail(new UploadError('invalid', 'Send one zip file per batch.')));
      parser.on('fieldsLimit', () => fail(new UploadError('invalid', 'Too many form fields.')));
      parser.on('partsLimit', () => fail(new UploadError('invalid', 'Too many form parts.')));
      parser.on('error', (error: Error) => fail(new UploadError('invalid', `The multipart body is malformed (${error.message}).`)));
      parser.on('close', () => {
        fileWritten.then(
          () => {
            if (settled) return;
            settled = true;
            resolve();
          },
          (error: Error) => fail(new UploadError('internal', `Could not keep the upload: ${error.message}`)),
        );
      });
      source.on('error', (error) => fail(new UploadError('invalid', `The upload was interrupted (${error.message}).`)));
      source.pipe(parser);
    });
  } catch (error) {
    await discard(tmpPath);
    throw error;
  }
  if (fileName === null) {
    await discard(tmpPath);
    throw new UploadError('invalid', 'No file: send the zip in the form field "file".');
  }
  return { path: tmpPath, fileName, size, fields };
}

export async function discard(tmpPath: string): Promise<void> {
  await fs.promises.rm(tmpPath, { force: true }).catch(() => undefined);
}

function tooLarge(maxBytes: number, declared?: number): UploadError {
  const what = declared !== undefined ? `The upload is ${formatBytes(declared)}` : 'The upload is larger than the limit';
  return new UploadError('too-large', `${what}; the limit is ${formatBytes(maxBytes)} (UPLOAD_MAX_BYTES). Split the batch into smaller zips.`);
}
