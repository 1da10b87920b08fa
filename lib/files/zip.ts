import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { DomainError } from '@/lib/errors';

/**
 * The one zip reader: batch uploads (lib/uploads) and GAN checkpoints (lib/gan) read their zips here, with
 * their own limits, and word the problems it reports in their own terms. It refuses anything hostile before
 * it can do harm:
 *
 * - not a zip (no zip signature), a zip over `maxZipBytes`, a corrupt or truncated one (the central
 *   directory must read);
 * - more entries than `maxEntries` (counted from the central directory, before reading any entry);
 * - unsafe names: absolute paths, drive letters, `.` and `..` segments, backslashes, control characters,
 *   names over 255 characters;
 * - symbolic links and other non-regular files (Unix mode in the external attributes), encrypted entries,
 *   compression methods other than stored and deflate, duplicate names, and (where the caller says which
 *   files it wants) unwanted files — none of them inflated;
 * - zip bombs: an entry over `maxEntryBytes`, entries over `maxTotalBytes` in all, or an entry inflating to
 *   more than `maxRatio` × its compressed size — from the declared sizes first, and again while inflating,
 *   so a zip whose headers lie is stopped within a chunk of passing a limit, never inflated whole.
 *
 * Ignored, and listed as ignored: folders, `__MACOSX/` (macOS resource forks) and dotfiles (`.DS_Store`,
 * `._x.png`), which archivers add on their own. When every entry sits in one top-level folder (zipping a
 * folder does that), the folder is dropped from the names.
 *
 * A problem with one entry (`ZipEntryProblem`) leaves that entry out and is returned with the others, so a
 * caller can name every bad file at once; a problem that makes the archive as a whole untrustworthy
 * (`ZipArchiveProblem`: bomb, entry count, corrupt) stops reading at once and is thrown as `ZipRefused`.
 * Problems carry codes and figures, not sentences: each caller says them in its own words.
 */
export type ZipLimits = {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
  /** The zip's own size; left out where the caller bounds it while receiving (uploads stream to a file). */
  maxZipBytes?: number;
};

export type ZipSource = { path: string } | { bytes: Uint8Array };

export type UnsafePathReason = 'absolute' | 'parent-segment' | 'dot-segment' | 'backslash' | 'control-character' | 'too-long';

/** Wrong with one entry: it is left out, the other entries are read. */
export type ZipEntryProblem =
  | { code: 'unsafe-path'; entry: string; reason: UnsafePathReason }
  | { code: 'symlink' | 'folder-as-file' | 'special-file' | 'encrypted' | 'duplicate' | 'unwanted'; entry: string }
  | { code: 'compression-method'; entry: string; method: number }
  | { code: 'entry-too-large'; entry: string; bytes: number; limit: number };

/** Wrong with the archive as a whole: reading stops. */
export type ZipArchiveProblem =
  | { code: 'not-a-zip'; isEmpty: boolean }
  | { code: 'zip-too-large'; bytes: number; limit: number }
  | { code: 'too-many-entries'; count: number; limit: number }
  | { code: 'damaged'; isTruncated: boolean; detail: string; entry?: string }
  | { code: 'bomb'; entry: string; reason: 'declared-ratio'; ratio: number }
  | { code: 'bomb'; entry: string; reason: 'past-allowed'; allowedBytes: number }
  | { code: 'bomb'; entry: string; reason: 'ratio'; limit: number }
  | { code: 'bomb'; entry: string; reason: 'past-declared' }
  | { code: 'total-too-large'; bytes: number; limit: number };

export type ZipProblem = ZipEntryProblem | ZipArchiveProblem;

/** Thrown for a `ZipArchiveProblem`; callers catch it and throw their own error in their own words. */
export class ZipRefused extends DomainError {
  readonly kind = 'unprocessable';

  constructor(readonly problem: ZipArchiveProblem) {
    super(`the zip is refused: ${problem.code}`, { problem });
  }
}

export type ZipFileEntry = { name: string; bytes: Uint8Array };
export type ZipContents = {
  /** In the zip's order; empty files are kept (whether one is wrong is the caller's call). */
  files: ZipFileEntry[];
  ignored: string[];
  problems: ZipEntryProblem[];
  /** Bytes inflated in all (tests check that a bomb stopped early). */
  inflatedBytes: number;
};

export type ZipReadOptions = {
  /** Which names the caller takes (after the common folder is dropped); others are `unwanted`, never inflated. */
  isWanted?: (name: string) => boolean;
  /** Updated as entries inflate, also when reading stops with a refusal. */
  stats?: { inflatedBytes: number };
};

/** Below this many inflated bytes an entry's compression ratio is not judged (tiny files compress oddly). */
export const RATIO_GRACE_BYTES = 1024 * 1024;
export const MAX_NAME_LENGTH = 255;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const HOST_UNIX = 3;

type Candidate = { entry: yauzl.Entry; name: string };

export async function readZip(source: ZipSource, limits: ZipLimits, options: ZipReadOptions = {}): Promise<ZipContents> {
  const stats = options.stats ?? { inflatedBytes: 0 };
  await checkHead(source, limits);
  const zip = await openZip(source);
  try {
    if (zip.entryCount > limits.maxEntries) throw new ZipRefused({ code: 'too-many-entries', count: zip.entryCount, limit: limits.maxEntries });
    const entries = await listEntries(zip);
    const problems: ZipEntryProblem[] = [];
    const ignored: string[] = [];
    const prefix = commonFolder(entries.map((e) => rawName(e)));
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    let declaredTotal = 0;

    for (const entry of entries) {
      const raw = rawName(entry);
      const unsafe = unsafeName(raw);
      if (unsafe) {
        problems.push({ code: 'unsafe-path', entry: printable(raw), reason: unsafe });
        continue;
      }
      const name = prefix && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
      if (name === '' || raw.endsWith('/')) continue; // folders
      if (isIgnored(name)) {
        ignored.push(name);
        continue;
      }
      const kind = fileKind(entry);
      if (kind !== 'file') {
        problems.push({ code: kind, entry: name });
        continue;
      }
      if (entry.isEncrypted()) {
        problems.push({ code: 'encrypted', entry: name });
        continue;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        problems.push({ code: 'compression-method', entry: name, method: entry.compressionMethod });
        continue;
      }
      if (options.isWanted && !options.isWanted(name)) {
        problems.push({ code: 'unwanted', entry: name });
        continue;
      }
      if (seen.has(name)) {
        problems.push({ code: 'duplicate', entry: name });
        continue;
      }
      seen.add(name);
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        problems.push({ code: 'entry-too-large', entry: name, bytes: entry.uncompressedSize, limit: limits.maxEntryBytes });
        continue;
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_GRACE_BYTES && ratio > limits.maxRatio) throw new ZipRefused({ code: 'bomb', entry: name, reason: 'declared-ratio', ratio });
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) throw new ZipRefused({ code: 'total-too-large', bytes: declaredTotal, limit: limits.maxTotalBytes });
      candidates.push({ entry, name });
    }

    const files: ZipFileEntry[] = [];
    for (const { entry, name } of candidates) files.push({ name, bytes: await inflate(zip, entry, name, limits, stats) });
    return { files, ignored, problems, inflatedBytes: stats.inflatedBytes };
  } finally {
    zip.close();
  }
}

/** The size limit and the zip signature, read before yauzl sees the file. */
async function checkHead(source: ZipSource, limits: ZipLimits): Promise<void> {
  let size: number;
  let head: Uint8Array;
  if ('bytes' in source) {
    size = source.bytes.length;
    head = source.bytes.subarray(0, 4);
  } else {
    const handle = await fs.promises.open(source.path, 'r');
    try {
      size = (await handle.stat()).size;
      const buffer = Buffer.alloc(4);
      const { bytesRead } = await handle.read(buffer, 0, 4, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  if (limits.maxZipBytes !== undefined && size > limits.maxZipBytes) throw new ZipRefused({ code: 'zip-too-large', bytes: size, limit: limits.maxZipBytes });
  const isZip = head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06);
  if (!isZip) throw new ZipRefused({ code: 'not-a-zip', isEmpty: size === 0 });
}

function openZip(source: ZipSource): Promise<yauzl.ZipFile> {
  // decodeStrings false: yauzl would stop at the first unsafe name; names are checked here and all reported.
  const options: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: true };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(corrupt(error)) : resolve(zip));
    if ('bytes' in source) yauzl.fromBuffer(Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength), options, done);
    else yauzl.open(source.path, options, done);
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => reject(corrupt(error)));
    zip.readEntry();
  });
}

type LowLevelYauzl = { getFileNameLowLevel(flags: number, raw: Buffer, extraFields: unknown[], strict: boolean): string };

function rawName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return (yauzl as unknown as LowLevelYauzl).getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
}

function unsafeName(name: string): UnsafePathReason | null {
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return 'absolute';
  const segments = name.split(/[/\\]/);
  if (segments.includes('..')) return 'parent-segment';
  if (segments.includes('.')) return 'dot-segment';
  if (name.includes('\\')) return 'backslash';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control-character';
  if (name.length > MAX_NAME_LENGTH) return 'too-long';
  return null;
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, MAX_NAME_LENGTH);
}

/** The top-level folder every entry is in (with its slash), or '' when the entries do not share one. */
function commonFolder(names: string[]): string {
  const files = names.filter((n) => !n.endsWith('/') && !isIgnored(n));
  if (files.length === 0) return '';
  const first = files[0].split('/')[0];
  if (!first || files.some((n) => !n.startsWith(`${first}/`))) return '';
  return `${first}/`;
}

function isIgnored(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((segment) => segment.startsWith('.'));
}

/** 'file', or why the entry is not a plain file (from the Unix mode an archiver stores in the external attributes). */
function fileKind(entry: yauzl.Entry): 'file' | 'symlink' | 'folder-as-file' | 'special-file' {
  if (entry.versionMadeBy >> 8 !== HOST_UNIX) return 'file';
  const type = ((entry.externalFileAttributes >>> 16) & 0xffff) & S_IFMT;
  if (type === 0 || type === S_IFREG) return 'file';
  if (type === S_IFLNK) return 'symlink';
  if (type === S_IFDIR) return 'folder-as-file';
  return 'special-file';
}

/** Inflates one entry, counting as it goes; stops the stream the moment a limit is passed. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, limits: ZipLimits, stats: { inflatedBytes: number }): Promise<Uint8Array> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (error, readStream) => (error || !readStream ? reject(corrupt(error, name)) : resolve(readStream))),
  );
  const chunks: Buffer[] = [];
  let size = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      size += chunk.length;
      stats.inflatedBytes += chunk.length;
      if (size > entry.uncompressedSize || size > limits.maxEntryBytes) {
        callback(new ZipRefused({ code: 'bomb', entry: name, reason: 'past-allowed', allowedBytes: Math.min(entry.uncompressedSize, limits.maxEntryBytes) }));
      } else if (size > RATIO_GRACE_BYTES && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        callback(new ZipRefused({ code: 'bomb', entry: name, reason: 'ratio', limit: limits.maxRatio }));
      } else if (stats.inflatedBytes > limits.maxTotalBytes) {
        callback(new ZipRefused({ code: 'total-too-large', bytes: stats.inflatedBytes, limit: limits.maxTotalBytes }));
      } else {
        chunks.push(chunk);
        callback();
      }
    },
  });
  try {
    await pipeline(stream, guard);
  } catch (error) {
    if (error instanceof ZipRefused) throw error;
    // yauzl's own size check (validateEntrySizes) can notice the lie a chunk before we do.
    if (/too many bytes/i.test((error as Error).message)) throw new ZipRefused({ code: 'bomb', entry: name, reason: 'past-declared' });
    throw corrupt(error as Error, name);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

function corrupt(error: Error | null | undefined, entry?: string): ZipRefused {
  const detail = error?.message ?? 'unknown error';
  const isTruncated = /end of central directory|unexpected EOF|end of file|out of range|not enough/i.test(detail);
  return new ZipRefused({ code: 'damaged', isTruncated, detail, ...(entry === undefined ? {} : { entry }) });
}
