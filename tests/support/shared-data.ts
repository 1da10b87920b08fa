// Locates the shared, read-only test images (never copied into the repository).
// Missing data is an error, not a skip: a silently skipped decoder test proves nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function sharedDataDir(): string {
  return process.env.SHARED_DATA_DIR ?? path.resolve(REPO_ROOT, '../shared/data');
}

export function sharedPath(relative: string): string {
  const file = path.join(sharedDataDir(), relative);
  if (!fs.existsSync(file)) {
    throw new Error(
      `test data not found: ${file}. Point SHARED_DATA_DIR at the shared data folder ` +
        `(the one holding demo/ and dicom/, see its README.md); default is ../shared/data beside the repository`,
    );
  }
  return file;
}

export function readShared(relative: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(sharedPath(relative)));
}

/** Every file with the given extension in a shared folder, sorted, as paths relative to the data dir. */
export function listShared(folder: string, ext: string): string[] {
  return fs
    .readdirSync(sharedPath(folder))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(folder, f));
}
