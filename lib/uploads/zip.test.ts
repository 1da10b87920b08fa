import { describe, expect, it } from 'vitest';
import { buildZip, declareUncompressedSize, hostileCases, HOSTILE_TEST_LIMITS } from '@/scripts/make-hostile-fixtures';
import { variantPng } from '@/scripts/make-image-fixtures';
import { UploadError } from './errors';
import { RATIO_GRACE_BYTES, readZip } from './zip';
import { tempFiles } from '@/tests/support/temp-files';

const { onDisk } = tempFiles('zip-test-');

async function refusal(zip: Uint8Array, stats = { inflatedBytes: 0 }): Promise<UploadError> {
  try {
    await readZip(onDisk(zip), HOSTILE_TEST_LIMITS, stats);
  } catch (error) {
    if (error instanceof UploadError) return error;
    throw error;
  }
  throw new Error('expected the zip to be refused');
}

describe('readZip', () => {
  it('reads a zipped folder: drops the folder from names, ignores __MACOSX and dotfiles, sorts files, finds the manifest', async () => {
    const zip = await buildZip([
      { name: 'scans/b.png', bytes: variantPng(2) },
      { name: 'scans/a.PNG', bytes: variantPng(1) },
      { name: 'scans/sub/c.dcm', bytes: Uint8Array.of(1, 2, 3) },
      { name: 'scans/manifest.csv', bytes: Uint8Array.from(Buffer.from('file,labels\n')) },
      { name: '__MACOSX/scans/._a.PNG', bytes: Uint8Array.of(0) },
      { name: 'scans/.DS_Store', bytes: Uint8Array.of(0) },
    ]);
    const contents = await readZip(onDisk(zip), HOSTILE_TEST_LIMITS);
    expect(contents.problems).toEqual([]);
    expect(contents.files.map((f) => f.name)).toEqual(['a.PNG', 'b.png', 'sub/c.dcm']);
    expect(contents.manifest?.name).toBe('manifest.csv');
    expect(contents.ignored.sort()).toEqual(['.DS_Store', '__MACOSX/scans/._a.PNG']);
    expect(Buffer.from(contents.files[1].bytes).equals(Buffer.from(variantPng(2)))).toBe(true);
  });

  it('stops a bomb whose header lies within a chunk of passing the declared size, never inflating it whole', async () => {
    const huge = 64 * 1024 * 1024;
    const zip = declareUncompressedSize(await buildZip([{ name: 'liar.png', bytes: new Uint8Array(huge) }]), 'liar.png', 5000);
    const stats = { inflatedBytes: 0 };
    const error = await refusal(zip, stats);
    expect(error.kind).toBe('unprocessable');
    expect(error.message).toMatch(/zip bomb/);
    expect(stats.inflatedBytes).toBeLessThan(RATIO_GRACE_BYTES);
  });

  it('refuses from its header, before inflating anything, an entry that says it inflates more than maxRatio-fold', async () => {
    const zeros = new Uint8Array(HOSTILE_TEST_LIMITS.maxEntryBytes - 1024);
    const stats = { inflatedBytes: 0 };
    const error = await refusal(await buildZip([{ name: 'zeros.png', bytes: zeros }]), stats);
    expect(error.problems[0]).toMatchObject({ file: 'zeros.png', problem: expect.stringMatching(/header says it inflates 10\d\d-fold/) });
    expect(stats.inflatedBytes).toBe(0);
  });

  it('refuses every hostile zip of the corpus that is about the archive itself', async () => {
    const cases = await hostileCases(HOSTILE_TEST_LIMITS, 3);
    const archiveCases = ['not-a-zip', 'truncated-zip', 'corrupt-zip', 'zip-bomb-ratio', 'zip-bomb-lying-header', 'zip-bomb-total', 'too-many-entries'];
    for (const name of archiveCases) {
      const c = cases.find((x) => x.name === name)!;
      const error = await refusal(c.upload.bytes);
      expect(error.message, name).toMatch(c.error);
    }
    const entryCases = ['path-traversal', 'absolute-path', 'windows-paths', 'symlink', 'encrypted-entry', 'duplicate-entry-names', 'other-file-types', 'empty-entry'];
    for (const name of entryCases) {
      const c = cases.find((x) => x.name === name)!;
      const contents = await readZip(onDisk(c.upload.bytes), HOSTILE_TEST_LIMITS);
      for (const expected of c.problems) {
        expect(contents.problems.some((p) => p.file === expected.file && expected.problem.test(p.problem)), `${name}: ${expected.file}`).toBe(true);
      }
      // The good file beside the bad one is still read (and reported on by the image pipeline later).
      expect(contents.files.map((f) => f.name)).toContain('a.png');
    }
  });
});
