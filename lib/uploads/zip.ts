import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { formatBytes, UploadError, type UploadProblem } from './errors';

/**
 * Reads an uploaded batch zip entry by entry, refusing anything hostile before it can do harm:
 *
 * - not a zip, a corrupt or truncated one (the central directory must read);
 * - more entries than `maxEntries` (counted from the central directory, before reading any entry);
 * - unsafe names: absolute paths, drive letters, `..` segments, backslashes, control characters;
 * - symbolic links and other non-regular files (Unix mode in the external attributes), encrypted entries,
 *   compression methods other than stored and deflate;
 * - zip bombs: an entry over `maxEntryBytes`, a batch over `maxTotalBytes`, or an entry inflating to more
 *   than `maxRatio` × its compressed size — from the declared sizes first, and again while inflating, so a
 *   zip whose headers lie is stopped within a chunk of passing a limit, never inflated whole;
 * - empty entries, duplicate names, and files other than .png, .dcm, .dicom and one `manifest.csv`.
 *
 * Ignored, and listed as ignored: folders, `__MACOSX/` (macOS resource forks) and dotfiles (`.DS_Store`,
 * `._x.png`), which archivers add on their own. When every entry sits in one top-level folder (zipping a
 * folder does that), the folder is dropped from the names, so `batch/a.png` is `a.png` for the manifest.
 *
 * Per-entry problems are collected for every entry, so the admin sees all of them; limits that make the
 * zip as a whole untrustworthy (bomb, entry count, corrupt) stop reading at once.
 */
export type ZipLimits = { maxEntries: number; maxEntryBytes: number; maxTotalBytes: number; maxRatio: number };
export type ZipFileEntry = { name: string; bytes: Uint8Array };
export type ZipContents = {
  files: ZipFileEntry[];
  manifest: ZipFileEntry | null;
  ignored: string[];
  problems: UploadProblem[];
  /** Bytes inflated in all (tests check that a bomb stopped early). */
  inflatedBytes: number;
};

export const IMAGE_EXTENSIONS = ['.png', '.dcm', '.dicom'];
export const MANIFEST_NAME = 'manifest.csv';
/** Below this many inflated bytes an entry's compression ratio is not judged (tiny files compress oddly). */
export const RATIO_GRACE_BYTES = 1024 * 1024;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const HOST_UNIX = 3;

type Candidate = { entry: yauzl.Entry; name: string };

/** `stats` is updated as entries inflate, also when reading stops with an error (tests check bombs stop early). */
export async function readZip(zipPath: string, limits: ZipLimits, stats: { inflatedBytes: number } = { inflatedBytes: 0 }): Promise<ZipContents> {
  await assertLooksLikeZip(zipPath);
  const zip = await openZip(zipPath);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new UploadError('unprocessable', `The zip holds ${zip.entryCount} entries; a batch may hold at most ${limits.maxEntries} (UPLOAD_MAX_ENTRIES). Split it into smaller batches.`, [
        { file: '(zip)', problem: `${zip.entryCount} entries; the limit is ${limits.maxEntries}` },
      ]);
    }
    const entries = await listEntries(zip);
    const problems: UploadProblem[] = [];
    const ignored: string[] = [];
    const prefix = commonFolder(entries.map((e) => rawName(e)));
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    let declaredTotal = 0;

    for (const entry of entries) {
      const raw = rawName(entry);
      const unsafe = unsafeName(raw);
      if (unsafe) {
        problems.push({ file: printable(raw), problem: unsafe });
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
        problems.push({ file: name, problem: kind });
        continue;
      }
      if (entry.isEncrypted()) {
        problems.push({ file: name, problem: 'is encrypted; zip the files without a password' });
        continue;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        problems.push({ file: name, problem: `uses compression method ${entry.compressionMethod}; only stored and deflate are read — make a standard zip` });
        continue;
      }
      if (!isWanted(name)) {
        problems.push({ file: name, problem: `is not a batch file: only ${IMAGE_EXTENSIONS.join(', ')} images and one ${MANIFEST_NAME} are accepted` });
        continue;
      }
      if (seen.has(name)) {
        problems.push({ file: name, problem: 'is in the zip twice' });
        continue;
      }
      seen.add(name);
      if (entry.uncompressedSize === 0) {
        problems.push({ file: name, problem: 'is empty (0 bytes)' });
        continue;
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        problems.push({ file: name, problem: `is ${formatBytes(entry.uncompressedSize)} unpacked; the limit per file is ${formatBytes(limits.maxEntryBytes)} (UPLOAD_MAX_ENTRY_BYTES)` });
        continue;
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_GRACE_BYTES && ratio > limits.maxRatio) throw bomb(name, `its header says it inflates ${Math.round(ratio)}-fold`, limits);
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) throw totalTooLarge(declaredTotal, limits);
      candidates.push({ entry, name });
    }

    const files: ZipFileEntry[] = [];
    let manifest: ZipFileEntry | null = null;
    for (const { entry, name } of candidates) {
      const bytes = await inflate(zip, entry, name, limits, stats);
      if (bytes.length === 0) {
        problems.push({ file: name, problem: 'is empty (0 bytes)' });
        continue;
      }
      if (name.toLowerCase() === MANIFEST_NAME) manifest = { name, bytes };
      else files.push({ name, bytes });
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { files, manifest, ignored, problems, inflatedBytes: stats.inflatedBytes };
  } finally {
    zip.close();
  }
}

async function assertLooksLikeZip(zipPath: string): Promise<void> {
  const handle = await fs.promises.open(zipPath, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    const isZip = bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06);
    if (!isZip) {
      throw new UploadError('unprocessable', 'The upload is not a zip file. Put the PNG/DICOM files (and manifest.csv) in a .zip and upload that.', [
        { file: '(upload)', problem: 'is not a zip archive' },
      ]);
    }
  } finally {
    await handle.close();
  }
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings false: yauzl would stop at the first unsafe name; we check names ourselves and report all.
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) reject(corrupt(error));
      else resolve(zip);
    });
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

function unsafeName(name: string): string | null {
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return 'has an absolute path; entries must be relative to the zip';
  if (name.split(/[/\\]/).includes('..')) return 'has a ".." path segment (path traversal)';
  if (name.includes('\\')) return 'has a backslash in its path; zip it with a standard tool';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'has control characters in its name';
  if (name.length > 255) return 'has a name longer than 255 characters';
  return null;
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 255);
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

function isWanted(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === MANIFEST_NAME || IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** 'file', or why the entry is not a plain file (from the Unix mode an archiver stores in the external attributes). */
function fileKind(entry: yauzl.Entry): string {
  if (entry.versionMadeBy >> 8 !== HOST_UNIX) return 'file';
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const type = mode & S_IFMT;
  if (type === 0 || type === S_IFREG) return 'file';
  if (type === S_IFLNK) return 'is a symbolic link; put the file itself in the zip';
  if (type === S_IFDIR) return 'is a folder with a file name';
  return 'is not a regular file (device, pipe or socket)';
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
        callback(bomb(name, `it inflates past the ${formatBytes(Math.min(entry.uncompressedSize, limits.maxEntryBytes))} its header or the limit allows`, limits));
      } else if (size > RATIO_GRACE_BYTES && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        callback(bomb(name, `it inflates more than ${limits.maxRatio}-fold`, limits));
      } else if (stats.inflatedBytes > limits.maxTotalBytes) {
        callback(totalTooLarge(stats.inflatedBytes, limits));
      } else {
        chunks.push(chunk);
        callback();
      }
    },
  });
  try {
    await pipeline(stream, guard);
  } catch (error) {
    if (error instanceof UploadError) throw error;
    // yauzl's own size check (validateEntrySizes) can notice the lie a chunk before we do.
    if (/too many bytes/i.test((error as Error).message)) throw bomb(name, 'it inflates past the size its header declares', limits);
    throw corrupt(error as Error, name);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

function bomb(name: string, detail: string, limits: ZipLimits): UploadError {
  return new UploadError('unprocessable', `The zip looks like a zip bomb: ${name}: ${detail}. Nothing was stored.`, [
    { file: name, problem: `${detail} (limits: ${limits.maxRatio}:1 compression, ${formatBytes(limits.maxEntryBytes)} per file)` },
  ]);
}

function totalTooLarge(total: number, limits: ZipLimits): UploadError {
  return new UploadError('unprocessable', `The files add up to more than ${formatBytes(limits.maxTotalBytes)} unpacked (UPLOAD_MAX_TOTAL_BYTES). Split the batch.`, [
    { file: '(zip)', problem: `at least ${formatBytes(total)} unpacked; the limit is ${formatBytes(limits.maxTotalBytes)}` },
  ]);
}

function corrupt(error: Error | null | undefined, name?: string): UploadError {
  const detail = error?.message ?? 'unknown error';
  const truncated = /end of central directory|unexpected EOF|end of file|out of range|not enough/i.test(detail);
  const what = truncated ? 'is truncated or damaged' : 'is damaged';
  return new UploadError('unprocessable', `The zip ${what} (${detail}); zip the files again and upload the new zip.`, [
    { file: name ?? '(zip)', problem: `${truncated ? 'truncated or damaged zip' : 'damaged zip'}: ${detail}` },
  ]);
}
