import { createHash } from 'node:crypto';
import { CheckpointError } from './errors';
import { declaredBytes, parseCheckpointManifest, parseModelJson, type CheckpointManifest, type ModelJson } from './manifest';
import { readZip, ZipRefused, type ZipArchiveProblem, type ZipEntryProblem } from '@/lib/files/zip';

/**
 * A checkpoint in memory: its files (from a zip, never from the filesystem or HTTP), the parsed manifest,
 * and the tfjs model built from them by an IOHandler over those bytes. `sha256` identifies the content,
 * not the zip: the same files zipped twice (other timestamps, compression, a folder) have the same hash.
 */
export type CheckpointFiles = Map<string, Uint8Array>;
export type CheckpointContents = { manifest: CheckpointManifest; modelJson: ModelJson; files: CheckpointFiles; sha256: string; weightBytes: number };

export const MANIFEST_FILE = 'checkpoint.json';
export const MODEL_FILE = 'model.json';

/** The checkpoint zip's own size, its entry count, and what it may unpack to (per file and in all). */
export type CheckpointZipLimits = { maxZipBytes: number; maxEntries: number; maxUnpackedBytes: number };

export const DEFAULT_CHECKPOINT_ZIP_LIMITS: CheckpointZipLimits = { maxZipBytes: 64 * 2 ** 20, maxEntries: 64, maxUnpackedBytes: 128 * 2 ** 20 };

/**
 * Past its first MiB an entry may not inflate more than this many-fold. Trained float32 weights barely
 * compress, and the unpacked total is bounded anyway; this only stops an entry that is a bomb.
 */
export const CHECKPOINT_MAX_RATIO = 1000;

/** Reads and checks the files of a checkpoint zip without building the model. */
export async function readCheckpointZip(zipBytes: Uint8Array, limits: CheckpointZipLimits = DEFAULT_CHECKPOINT_ZIP_LIMITS): Promise<CheckpointContents> {
  return inspectCheckpointFiles(await readCheckpointFiles(zipBytes, limits));
}

/**
 * The zip's files by name, read by the one zip reader (lib/files/zip.ts); its first problem refuses the
 * checkpoint, in the words of a checkpoint upload.
 */
async function readCheckpointFiles(zipBytes: Uint8Array, limits: CheckpointZipLimits): Promise<CheckpointFiles> {
  try {
    const zip = await readZip({ bytes: zipBytes }, { maxZipBytes: limits.maxZipBytes, maxEntries: limits.maxEntries, maxEntryBytes: limits.maxUnpackedBytes, maxTotalBytes: limits.maxUnpackedBytes, maxRatio: CHECKPOINT_MAX_RATIO });
    if (zip.problems.length) throw entryRefusal(zip.problems[0], limits);
    return new Map(zip.files.map((f) => [f.name, f.bytes]));
  } catch (error) {
    if (error instanceof ZipRefused) throw archiveRefusal(error.problem, limits);
    throw error;
  }
}

function entryRefusal(p: ZipEntryProblem, limits: CheckpointZipLimits): CheckpointError {
  const entry = `zip entry "${p.entry}"`;
  switch (p.code) {
    case 'unsafe-path': {
      const reason = {
        absolute: 'absolute paths are not allowed',
        'parent-segment': '"." and ".." are not allowed in paths',
        'dot-segment': '"." and ".." are not allowed in paths',
        backslash: 'backslashes are not allowed in paths',
        'control-character': 'control characters are not allowed in paths',
        'too-long': 'the path is too long',
      }[p.reason];
      return new CheckpointError('BAD_PATH', `${entry}: ${reason}`);
    }
    case 'symlink':
      return new CheckpointError('BAD_PATH', `${entry} is a symbolic link`);
    case 'folder-as-file':
    case 'special-file':
      return new CheckpointError('BAD_PATH', `${entry} is not a regular file`);
    case 'duplicate':
      return new CheckpointError('BAD_PATH', `${entry} appears twice`);
    case 'encrypted':
      return new CheckpointError('NOT_A_ZIP', `${entry} is encrypted; zip the checkpoint without a password`);
    case 'compression-method':
      return new CheckpointError('NOT_A_ZIP', `${entry} uses compression method ${p.method}; only stored and deflate are read`);
    case 'unwanted':
      return new CheckpointError('UNEXPECTED_FILE', `the zip holds a file the checkpoint does not use: ${p.entry}`);
    case 'entry-too-large':
      return new CheckpointError('TOO_LARGE', `the zip unpacks to more than ${mib(limits.maxUnpackedBytes)}`);
  }
}

function archiveRefusal(p: ZipArchiveProblem, limits: CheckpointZipLimits): CheckpointError {
  switch (p.code) {
    case 'not-a-zip':
      return new CheckpointError('NOT_A_ZIP', p.isEmpty ? 'the upload is empty' : 'the upload is not a readable zip file (it does not start with a zip signature)');
    case 'zip-too-large':
      return new CheckpointError('TOO_LARGE', `the zip is ${mib(p.bytes)}; the limit is ${mib(p.limit)} (GAN_MAX_CHECKPOINT_BYTES)`);
    case 'too-many-entries':
      return new CheckpointError('TOO_MANY_ENTRIES', `the zip holds ${p.count} entries; at most ${p.limit} are allowed`);
    case 'damaged':
      return new CheckpointError('NOT_A_ZIP', p.entry === undefined ? `the upload is not a readable zip file (${p.detail})` : `zip entry "${p.entry}" is damaged (${p.detail})`);
    case 'bomb':
      return new CheckpointError('TOO_LARGE', `zip entry "${p.entry}" looks like a zip bomb: it inflates ${p.reason === 'declared-ratio' || p.reason === 'ratio' ? `more than ${CHECKPOINT_MAX_RATIO}-fold` : 'past the size its header declares'}`);
    case 'total-too-large':
      return new CheckpointError('TOO_LARGE', `the zip unpacks to more than ${mib(limits.maxUnpackedBytes)}`);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;
}

export function inspectCheckpointFiles(files: CheckpointFiles): CheckpointContents {
  for (const required of [MANIFEST_FILE, MODEL_FILE]) {
    if (!files.has(required)) {
      const found = [...files.keys()].join(', ') || 'nothing';
      throw new CheckpointError('MISSING_FILE', `the zip has no ${required} (found: ${found}); see README "GAN checkpoints" for the layout`);
    }
  }
  const manifest = parseCheckpointManifest(files.get(MANIFEST_FILE)!);
  const modelJson = parseModelJson(files.get(MODEL_FILE)!);
  const shards = modelJson.weightsManifest.flatMap((group) => group.paths);
  const missing = shards.filter((p) => !files.has(p));
  if (missing.length) {
    throw new CheckpointError('MISSING_SHARD', `model.json names weight shard(s) ${missing.join(', ')} that are not in the zip`);
  }
  const expected = new Set([MANIFEST_FILE, MODEL_FILE, ...shards]);
  const extra = [...files.keys()].filter((n) => !expected.has(n) && !/\.(md|txt|png)$/i.test(n));
  if (extra.length) throw new CheckpointError('UNEXPECTED_FILE', `the zip holds file(s) the checkpoint does not use: ${extra.join(', ')}`);
  let weightBytes = 0;
  for (const [i, group] of modelJson.weightsManifest.entries()) {
    const declared = declaredBytes(group.weights);
    const actual = group.paths.reduce((n, p) => n + files.get(p)!.length, 0);
    if (declared !== actual) {
      throw new CheckpointError('BAD_WEIGHTS', `weight group ${i + 1} (${group.paths.join(', ')}): model.json declares ${declared} bytes of float32 weights but the shard(s) hold ${actual} bytes`);
    }
    weightBytes += actual;
  }
  return { manifest, modelJson, files, sha256: contentSha256(files, expected), weightBytes };
}

/** sha256 over "name\nsha256(file)\n" for the used files in name order. */
function contentSha256(files: CheckpointFiles, used: Set<string>): string {
  const hash = createHash('sha256');
  for (const name of [...used].sort()) hash.update(`${name}\n${createHash('sha256').update(files.get(name)!).digest('hex')}\n`);
  return hash.digest('hex');
}
