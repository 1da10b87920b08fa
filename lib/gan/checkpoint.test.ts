import { afterAll, describe, expect, it } from 'vitest';
import { zipFiles, type ZipEntries } from './export';
import { generateGrey, greyToPng } from './generate';
import { loadCheckpoint } from './load';
import { CheckpointError, type CheckpointErrorCode } from './errors';
import { graphCheckpointZip, TINY_SPEC, tinyCheckpointFiles, tinyCheckpointZip } from '@/tests/support/gan';
import { createHash } from 'node:crypto';

async function refusal(entries: ZipEntries | Uint8Array): Promise<CheckpointError> {
  const zip = entries instanceof Uint8Array ? entries : await zipFiles(entries);
  try {
    const loaded = await loadCheckpoint(zip, { backend: 'wasm' });
    loaded.dispose();
  } catch (error) {
    if (error instanceof CheckpointError) return error;
    throw error;
  }
  throw new Error('the checkpoint was accepted');
}

async function expectRefused(entries: ZipEntries | Uint8Array, code: CheckpointErrorCode, message: RegExp) {
  const error = await refusal(entries);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

/** yazl refuses unsafe names, so write a same-length safe name and patch it in both zip headers. */
async function zipWithRawName(entries: ZipEntries, placeholder: string, raw: string): Promise<Uint8Array> {
  const zip = Buffer.from(await zipFiles(entries));
  const from = Buffer.from(placeholder);
  let at = zip.indexOf(from);
  let patched = 0;
  while (at >= 0) {
    Buffer.from(raw).copy(zip, at);
    patched++;
    at = zip.indexOf(from, at + 1);
  }
  expect(patched).toBe(2); // local header + central directory
  return new Uint8Array(zip);
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('loadCheckpoint accepts a good checkpoint', () => {
  it('builds it, checks shapes and generates a test image', async () => {
    const loaded = await loadCheckpoint(await tinyCheckpointZip(), { backend: 'wasm' });
    expect(loaded.manifest.resolution).toBe(16);
    expect(loaded.check.max).toBeGreaterThan(loaded.check.min);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    loaded.dispose();
  });

  it('identifies the content, not the zip: a folder inside the zip gives the same sha256', async () => {
    const files = await tinyCheckpointFiles();
    const flat = await loadCheckpoint(await zipFiles(files), { backend: 'wasm' });
    const nested = await loadCheckpoint(await zipFiles(Object.fromEntries(Object.entries(files).map(([n, b]) => [`my-gan/${n}`, b]))), { backend: 'wasm' });
    expect(nested.sha256).toBe(flat.sha256);
    flat.dispose();
    nested.dispose();
  });
});

describe('loadCheckpoint refuses broken checkpoints with a clear message', () => {
  it('not a zip, or a damaged one', async () => {
    await expectRefused(new TextEncoder().encode('hello, not a zip'), 'NOT_A_ZIP', /not a readable zip/);
    const zip = await tinyCheckpointZip();
    await expectRefused(zip.slice(0, zip.length - 30), 'NOT_A_ZIP', /zip/);
  });

  it('a missing weight shard', async () => {
    const { 'weights.bin': _, ...rest } = await tinyCheckpointFiles();
    await expectRefused(rest, 'MISSING_SHARD', /weight shard\(s\) weights\.bin that are not in the zip/);
  });

  it('a missing checkpoint.json or model.json', async () => {
    const { 'checkpoint.json': _, ...noManifest } = await tinyCheckpointFiles();
    await expectRefused(noManifest, 'MISSING_FILE', /no checkpoint\.json/);
    const { 'model.json': __, ...noModel } = await tinyCheckpointFiles();
    await expectRefused(noModel, 'MISSING_FILE', /no model\.json/);
  });

  it('a truncated shard', async () => {
    const files = await tinyCheckpointFiles();
    await expectRefused({ ...files, 'weights.bin': (files['weights.bin'] as Uint8Array).slice(0, 100) }, 'BAD_WEIGHTS', /declares \d+ bytes of float32 weights but the shard\(s\) hold 100 bytes/);
  });

  it('a model whose output shape is not the declared resolution', async () => {
    const files = await tinyCheckpointFiles({ manifest: { resolution: 32 } });
    await expectRefused(files, 'WRONG_SHAPE', /makes images of shape \[16, 16, 1\]; checkpoint\.json declares 32×32/);
  });

  it('a model whose input does not match latentDim + labels', async () => {
    await expectRefused(await tinyCheckpointFiles({ manifest: { latentDim: 12 } }), 'WRONG_SHAPE', /input is \[null, 8\]; checkpoint\.json implies \[batch, 12\]/);
    await expectRefused(await tinyCheckpointFiles({ manifest: { labels: ['Effusion'] } }), 'WRONG_SHAPE', /implies \[batch, 9\] \(latentDim 8 \+ 1 labels\)/);
  });

  it('weights that produce NaN', async () => {
    const files = await tinyCheckpointFiles();
    const weights = new Float32Array((files['weights.bin'] as Uint8Array).slice().buffer);
    weights.fill(Number.NaN, 0, 16); // the first dense kernel values
    await expectRefused({ ...files, 'weights.bin': new Uint8Array(weights.buffer) }, 'BAD_OUTPUT', /NaN or infinite/);
  });

  it('weights that make a blank image', async () => {
    const files = await tinyCheckpointFiles();
    await expectRefused({ ...files, 'weights.bin': new Uint8Array((files['weights.bin'] as Uint8Array).length) }, 'BAD_OUTPUT', /blank/);
  });

  it('an invalid checkpoint.json', async () => {
    await expectRefused(await tinyCheckpointFiles({ manifest: { modality: 'MRI' } }), 'BAD_MANIFEST', /modality/);
    await expectRefused(await tinyCheckpointFiles({ manifest: { training: undefined } }), 'BAD_MANIFEST', /training/);
    const files = await tinyCheckpointFiles();
    await expectRefused({ ...files, 'checkpoint.json': '{ not json' }, 'BAD_MANIFEST', /not valid JSON/);
  });

  it('a layer type outside the allowed set, or a layers topology declared as a graph model', async () => {
    const files = await tinyCheckpointFiles();
    const model = JSON.parse(new TextDecoder().decode(files['model.json'] as Uint8Array));
    model.modelTopology.config.layers[1].class_name = 'Lambda';
    await expectRefused({ ...files, 'model.json': JSON.stringify(model) }, 'BAD_MODEL', /layer type\(s\) Lambda.*custom layers converts to a graph model/);
    await expectRefused({ ...files, 'model.json': JSON.stringify({ ...model, format: 'graph-model' }) }, 'BAD_MODEL', /graph model's modelTopology needs a "node" list/);
    await expectRefused({ ...files, 'model.json': JSON.stringify({ ...model, format: 'saved-model' }) }, 'BAD_MODEL', /format "saved-model"/);
  });

  it('unsafe paths and extra files', async () => {
    const files = await tinyCheckpointFiles();
    await expectRefused(await zipWithRawName({ ...files, 'xx/evil.bin': 'x' }, 'xx/evil.bin', '../evil.bin'), 'BAD_PATH', /"\.\." are not allowed/);
    await expectRefused(await zipWithRawName({ ...files, 'xetc/passwd': 'x' }, 'xetc/passwd', '/etc/passwd'), 'BAD_PATH', /absolute paths/);
    await expectRefused(await zipWithRawName({ ...files, 'a_b.bin': 'x' }, 'a_b.bin', 'a\\b.bin'), 'BAD_PATH', /backslashes/);
    await expectRefused({ ...files, 'notes.exe': 'x' }, 'UNEXPECTED_FILE', /notes\.exe/);
  });

  it('a shard path with a folder', async () => {
    const files = await tinyCheckpointFiles();
    const model = JSON.parse(new TextDecoder().decode(files['model.json'] as Uint8Array));
    model.weightsManifest[0].paths = ['sub/weights.bin'];
    await expectRefused({ ...files, 'model.json': JSON.stringify(model) }, 'BAD_MODEL', /plain file name/);
  });

  it('too many entries and too many bytes', async () => {
    const files = await tinyCheckpointFiles();
    const many = { ...files, ...Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`n${i}.txt`, 'x'])) };
    await expectRefused(many, 'TOO_MANY_ENTRIES', /at most 64/);
    const zip = await zipFiles(files);
    await expect(loadCheckpoint(zip, { backend: 'wasm', limits: { maxZipBytes: 1000, maxEntries: 64, maxUnpackedBytes: 10 ** 6 } })).rejects.toThrow(/the limit is 0\.00 MiB|the limit is/);
    await expect(loadCheckpoint(zip, { backend: 'wasm', limits: { maxZipBytes: 10 ** 6, maxEntries: 64, maxUnpackedBytes: 1000 } })).rejects.toThrow(/unpacks to more than/);
  });
});

describe('generation is deterministic', () => {
  const loaded: Array<{ dispose(): void }> = [];
  afterAll(() => loaded.forEach((l) => l.dispose()));

  const formats = {
    'layers model': { zip: () => tinyCheckpointZip({ spec: { ...TINY_SPEC, labels: ['a', 'b'] } }), labels: ['a', 'b'] },
    'graph model': { zip: () => graphCheckpointZip(), labels: ['Effusion', 'Nodule'] },
  };
  for (const [format, { zip: makeZip, labels: [a, b] }] of Object.entries(formats)) {
    for (const backend of ['wasm', 'cpu'] as const) {
      it(`same checkpoint + seed + parameters → byte-identical PNGs (${format}, ${backend})`, async () => {
        const zip = await makeZip();
        const first = await loadCheckpoint(zip, { backend });
        const second = await loadCheckpoint(zip, { backend });
        loaded.push(first, second);
        const items = Array.from({ length: 20 }, (_, index) => ({ index, labels: index % 2 ? [a] : [a, b] }));
        const run = async (c: typeof first, batchSize: number, truncation?: number) =>
          (await generateGrey(c, items, { seed: 1234, batchSize, truncation })).map((g) => sha(greyToPng(g, 16)));
        const reference = await run(first, 16);
        expect(await run(second, 16)).toEqual(reference);
        // Batch composition does not matter: one at a time, or 7 at a time, gives the same bytes.
        expect(await run(second, 1)).toEqual(reference);
        expect(await run(first, 7)).toEqual(reference);
        // Another seed, labels or truncation gives other images.
        expect(new Set(reference).size).toBe(20);
        const truncated = await run(first, 16, 0.5);
        expect(truncated.filter((h, i) => h === reference[i]).length).toBeLessThan(3);
      });
    }
  }
});
