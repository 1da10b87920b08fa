import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder for this test file (removed after its tests); `onDisk` writes bytes to a new file in it and returns its path. */
export function tempFiles(prefix: string): { onDisk: (bytes: Uint8Array, extension?: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    onDisk(bytes, extension = '.zip') {
      const file = path.join(dir, `${n++}${extension}`);
      fs.writeFileSync(file, bytes);
      return file;
    },
  };
}
