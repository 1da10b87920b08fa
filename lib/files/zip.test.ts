import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildZip, declareUncompressedSize, markEncrypted, renameEntry } from '@/scripts/lib/zip-builders';
import { readZip, ZipRefused, type ZipArchiveProblem, type ZipLimits } from './zip';
import { tempFiles } from '@/tests/support/temp-files';

// The reader's own face: codes and figures, the same from a file and from memory. The words each caller
// gives them are pinned by lib/uploads/zip.test.ts (the hostile uploads) and lib/gan/checkpoint.test.ts.

const LIMITS: ZipLimits = { maxEntries: 20, maxEntryBytes: 4 * 2 ** 20, maxTotalBytes: 6 * 2 ** 20, maxRatio: 100 };
const text = (s: string) => Uint8Array.from(Buffer.from(s));

const { onDisk } = tempFiles('files-zip-test-');

async function refusal(bytes: Uint8Array, limits = LIMITS): Promise<ZipArchiveProblem> {
  try {
    await readZip({ bytes }, limits);
  } catch (error) {
    if (error instanceof ZipRefused) return error.problem;
    throw error;
  }
  throw new Error('expected the zip to be refused');
}

describe('readZip (lib/files)', () => {
  it('reads the same entries, ignored names and problems from a file and from memory', async () => {
    const zip = renameEntry(
      await buildZip([
        { name: 'ckpt/model.json', bytes: text('{}') },
        { name: 'ckpt/empty.txt', bytes: new Uint8Array(0) },
        { name: 'ckpt/.hidden', bytes: text('x') },
        { name: 'ckpt/link.bin', bytes: text('/etc/passwd'), mode: 0o120777 },
        { name: 'ckpt/x/a.bin', bytes: text('y') },
      ]),
      'ckpt/x/a.bin',
      'ckpt/./a.bin',
    );
    const fromMemory = await readZip({ bytes: zip }, LIMITS);
    const fromFile = await readZip({ path: onDisk(zip) }, LIMITS);
    expect(fromFile).toEqual(fromMemory);
    // The common folder is dropped; an empty file is kept for the caller to judge.
    expect(fromMemory.files.map((f) => [f.name, f.bytes.length])).toEqual([
      ['model.json', 2],
      ['empty.txt', 0],
    ]);
    expect(fromMemory.ignored).toEqual(['.hidden']);
    expect(fromMemory.problems).toEqual([
      { code: 'symlink', entry: 'link.bin' },
      { code: 'unsafe-path', entry: 'ckpt/./a.bin', reason: 'dot-segment' },
    ]);
  });

  it('does not inflate entries the caller does not want, nor encrypted ones', async () => {
    const zip = markEncrypted(
      await buildZip([
        { name: 'a.png', bytes: text('png') },
        { name: 'big.exe', bytes: new Uint8Array(2 ** 20).fill(7) },
        { name: 'secret.png', bytes: text('secret') },
      ]),
      'secret.png',
    );
    const stats = { inflatedBytes: 0 };
    const read = await readZip({ bytes: zip }, LIMITS, { isWanted: (name) => name.endsWith('.png'), stats });
    expect(read.files.map((f) => f.name)).toEqual(['a.png']);
    expect(read.problems).toEqual([
      { code: 'unwanted', entry: 'big.exe' },
      { code: 'encrypted', entry: 'secret.png' },
    ]);
    expect(stats.inflatedBytes).toBe(3);
  });

  it('refuses the archive with a code and the figures a caller needs to word it', async () => {
    expect(await refusal(new Uint8Array(0))).toEqual({ code: 'not-a-zip', isEmpty: true });
    expect(await refusal(text('hello, not a zip'))).toEqual({ code: 'not-a-zip', isEmpty: false });
    const small = await buildZip([{ name: 'a.bin', bytes: text('a') }]);
    expect(await refusal(small, { ...LIMITS, maxZipBytes: 10 })).toEqual({ code: 'zip-too-large', bytes: small.length, limit: 10 });
    expect(await refusal(small, { ...LIMITS, maxEntries: 0 })).toEqual({ code: 'too-many-entries', count: 1, limit: 0 });
    expect(await refusal(small.slice(0, small.length - 5))).toMatchObject({ code: 'damaged', isTruncated: true });
    const liar = declareUncompressedSize(await buildZip([{ name: 'liar.bin', bytes: new Uint8Array(3 * 2 ** 20) }]), 'liar.bin', 5000);
    expect(await refusal(liar)).toMatchObject({ code: 'bomb', entry: 'liar.bin' });
    const zeros = await buildZip([{ name: 'zeros.bin', bytes: new Uint8Array(3 * 2 ** 20) }]);
    expect(await refusal(zeros)).toMatchObject({ code: 'bomb', entry: 'zeros.bin', reason: 'declared-ratio' });
    const noise = () => new Uint8Array(crypto.randomBytes(3.5 * 2 ** 20));
    expect(await refusal(await buildZip([{ name: 'a.bin', bytes: noise() }, { name: 'b.bin', bytes: noise() }]))).toMatchObject({ code: 'total-too-large', limit: LIMITS.maxTotalBytes });
  });

  it('refuses an entry over the per-file limit without inflating it, and reads the rest', async () => {
    const stats = { inflatedBytes: 0 };
    const read = await readZip({ bytes: await buildZip([{ name: 'a.bin', bytes: text('a') }, { name: 'big.bin', bytes: new Uint8Array(5000).fill(1) }]) }, { ...LIMITS, maxEntryBytes: 4000 }, { stats });
    expect(read.problems).toEqual([{ code: 'entry-too-large', entry: 'big.bin', bytes: 5000, limit: 4000 }]);
    expect(read.files.map((f) => f.name)).toEqual(['a.bin']);
    expect(stats.inflatedBytes).toBe(1);
  });
});
