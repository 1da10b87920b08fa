import yauzl from 'yauzl';
import { CheckpointError } from './errors';

/**
 * Reads a checkpoint zip from memory with limits: the zip's own size, the number of entries, the unpacked
 * size (declared sizes are enforced by yauzl while inflating, so a forged header cannot unpack more), and
 * the paths: no absolute paths, no `..`, no backslashes, no links, no duplicates. One top-level folder is
 * allowed (zipping a folder) and dropped; macOS metadata (`__MACOSX/`, `.DS_Store`) is ignored.
 */
export type ZipLimits = { maxZipBytes: number; maxEntries: number; maxUnpackedBytes: number };

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxZipBytes: 64 * 2 ** 20, maxEntries: 64, maxUnpackedBytes: 128 * 2 ** 20 };

export async function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Map<string, Uint8Array>> {
  if (bytes.length === 0) throw new CheckpointError('NOT_A_ZIP', 'the upload is empty');
  if (bytes.length > limits.maxZipBytes) {
    throw new CheckpointError('TOO_LARGE', `the zip is ${mib(bytes.length)}; the limit is ${mib(limits.maxZipBytes)} (GAN_MAX_CHECKPOINT_BYTES)`);
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (error, file) =>
      error || !file ? reject(new CheckpointError('NOT_A_ZIP', `the upload is not a readable zip file (${error?.message ?? 'unknown error'})`)) : resolve(file),
    ),
  );
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new CheckpointError('TOO_MANY_ENTRIES', `the zip holds ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed`);
  }
  const files = new Map<string, Uint8Array>();
  let unpacked = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(error instanceof CheckpointError ? error : yauzlError(error)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const fail = (error: CheckpointError) => {
          zip.close();
          reject(error);
        };
        if (name.endsWith('/')) return zip.readEntry();
        const problem = pathProblem(name);
        if (problem) return fail(new CheckpointError('BAD_PATH', `zip entry "${name}": ${problem}`));
        if (isJunk(name)) return zip.readEntry();
        const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
        if (mode === 0o120000) return fail(new CheckpointError('BAD_PATH', `zip entry "${name}" is a symbolic link`));
        if (files.has(name)) return fail(new CheckpointError('BAD_PATH', `zip entry "${name}" appears twice`));
        unpacked += entry.uncompressedSize;
        if (unpacked > limits.maxUnpackedBytes) {
          return fail(new CheckpointError('TOO_LARGE', `the zip unpacks to more than ${mib(limits.maxUnpackedBytes)}`));
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return fail(new CheckpointError('NOT_A_ZIP', `zip entry "${name}" cannot be read (${error?.message})`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', (e: Error) => fail(new CheckpointError('NOT_A_ZIP', `zip entry "${name}" is damaged (${e.message})`)));
          stream.on('end', () => {
            files.set(name, new Uint8Array(Buffer.concat(chunks)));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return dropCommonFolder(files);
}

/** yauzl checks entry names itself (absolute, `..`, backslashes); say so in our words. */
function yauzlError(error: Error): CheckpointError {
  const m = error.message;
  if (/^absolute path/.test(m)) return new CheckpointError('BAD_PATH', `zip entry refused: absolute paths are not allowed (${m})`);
  if (/^invalid relative path/.test(m)) return new CheckpointError('BAD_PATH', `zip entry refused: "." and ".." are not allowed in paths (${m})`);
  if (/^invalid characters in fileName/.test(m)) return new CheckpointError('BAD_PATH', `zip entry refused: backslashes are not allowed in paths (${m})`);
  return new CheckpointError('NOT_A_ZIP', `the zip is damaged (${m})`);
}

function pathProblem(name: string): string | null {
  if (name.includes('\\')) return 'backslashes are not allowed in paths';
  if (name.includes('\0')) return 'NUL in the path';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute paths are not allowed';
  if (name.split('/').some((part) => part === '..' || part === '.')) return '"." and ".." are not allowed in paths';
  if (name.length > 200) return 'the path is too long';
  return null;
}

function isJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').pop() === '.DS_Store';
}

/** `demo-ct-64/model.json` … → `model.json` … when every file sits in the same single folder. */
function dropCommonFolder(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const names = [...files.keys()];
  if (names.length === 0) return files;
  const first = names[0].split('/');
  if (first.length !== 2) return files;
  const prefix = `${first[0]}/`;
  if (!names.every((n) => n.startsWith(prefix) && n.split('/').length === 2)) return files;
  return new Map(names.map((n) => [n.slice(prefix.length), files.get(n)!]));
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;
}
