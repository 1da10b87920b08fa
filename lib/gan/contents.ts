import { createHash } from 'node:crypto';
import { CheckpointError } from './errors';
import { declaredBytes, parseCheckpointManifest, parseModelJson, type CheckpointManifest, type ModelJson } from './manifest';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip';

/**
 * A checkpoint in memory: its files (from a zip, never from the filesystem or HTTP), the parsed manifest,
 * and the tfjs model built from them by an IOHandler over those bytes. `sha256` identifies the content,
 * not the zip: the same files zipped twice (other timestamps, compression, a folder) have the same hash.
 */
export type CheckpointFiles = Map<string, Uint8Array>;
export type CheckpointContents = { manifest: CheckpointManifest; modelJson: ModelJson; files: CheckpointFiles; sha256: string; weightBytes: number };

export const MANIFEST_FILE = 'checkpoint.json';
export const MODEL_FILE = 'model.json';

/** Reads and checks the files of a checkpoint zip without building the model. */
export async function readCheckpointZip(zipBytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<CheckpointContents> {
  return inspectCheckpointFiles(await readZip(zipBytes, limits));
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
