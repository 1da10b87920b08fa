import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { useBackend } from './backend';
import { buildCheckpointModel } from './checkpoint';
import { inspectCheckpointFiles } from './contents';
import { CheckpointError } from './errors';
import { CHECK_TOLERANCE, pixelDelta } from './browser-chunks';
import { zipFiles, type ZipEntries } from './export';
import { generateGrey } from './generate';
import { loadCheckpoint } from './load';
import type { LoadedCheckpoint } from './checkpoint';
import { GRAPH_FIXTURE_DIR, graphCheckpointFiles } from '@/tests/support/gan';

/**
 * Graph models (the TensorFlow.js converter's format): the committed fixture — a Keras generator with a custom
 * pixel-norm layer, frozen and written by lib/gan/fixtures/make_graph_model.py — runs in TensorFlow.js's own
 * loadGraphModel with the Keras model's outputs to 1e-4, and broken graphs are refused with a clear message.
 */
type Reference = { inputs: number[][]; shape: number[]; outputs: number[] };
const reference: Reference = JSON.parse(fs.readFileSync(path.join(path.dirname(GRAPH_FIXTURE_DIR), 'pixelnorm-graph.reference.json'), 'utf8'));
const asMap = (entries: ZipEntries) => new Map(Object.entries(entries).map(([n, b]) => [n, typeof b === 'string' ? new TextEncoder().encode(b) : b]));

describe('a graph-model checkpoint with a custom layer (pixel norm)', () => {
  const loaded: Array<{ dispose(): void }> = [];
  afterAll(() => loaded.forEach((l) => l.dispose()));

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`tfjs loadGraphModel (${backend}) gives the Keras model's outputs to 1e-4`, async () => {
      const checkpoint = await buildCheckpointModel(inspectCheckpointFiles(asMap(graphCheckpointFiles())), backend);
      loaded.push(checkpoint);
      expect(checkpoint.format).toBe('graph-model');
      const tf = await useBackend(backend);
      const input = tf.tensor2d(reference.inputs);
      const output = checkpoint.forward(input as tfTypes.Tensor2D);
      expect(output.shape).toEqual(reference.shape);
      const values = await output.data();
      input.dispose();
      output.dispose();
      let maxDiff = 0;
      for (let i = 0; i < values.length; i++) maxDiff = Math.max(maxDiff, Math.abs(values[i] - reference.outputs[i]));
      expect(values.length).toBe(reference.outputs.length);
      expect(maxDiff).toBeLessThan(1e-4);
      // The outputs are not trivial (a constant image would pass a loose comparison).
      expect(Math.max(...reference.outputs) - Math.min(...reference.outputs)).toBeGreaterThan(0.5);
    });
  }

  it('registers through the same checks as a layers model (files, manifest, shapes, one test image)', async () => {
    const checkpoint = await loadCheckpoint(await zipFiles(graphCheckpointFiles()), { backend: 'wasm' });
    loaded.push(checkpoint);
    expect(checkpoint.manifest).toMatchObject({ resolution: 16, latentDim: 8, labels: ['Effusion', 'Nodule'] });
    expect(checkpoint.check.max).toBeGreaterThan(checkpoint.check.min);
  });
});

describe('broken graph models are refused with a clear message', () => {
  async function refusal(edit: (model: Record<string, any>) => void, manifest?: Record<string, unknown>): Promise<CheckpointError> {
    const files = graphCheckpointFiles({ manifest });
    const model = JSON.parse(new TextDecoder().decode(files['model.json'] as Uint8Array));
    edit(model);
    try {
      (await loadCheckpoint(await zipFiles({ ...files, 'model.json': JSON.stringify(model) }), { backend: 'wasm' })).dispose();
    } catch (error) {
      if (error instanceof CheckpointError) return error;
      throw error;
    }
    throw new Error('the checkpoint was accepted');
  }
  const nodes = (model: Record<string, any>) => model.modelTopology.node as Array<{ name: string; op: string }>;

  it('an op outside the allowed set', async () => {
    const error = await refusal((m) => void (nodes(m).find((n) => n.op === 'Tanh')!.op = 'ReadFile'));
    expect(error.code).toBe('BAD_MODEL');
    expect(error.message).toMatch(/op\(s\) ReadFile/);
  });

  it('control flow (functions in the library)', async () => {
    const error = await refusal((m) => void (m.modelTopology.library = { function: [{ signature: { name: 'while_body' } }] }));
    expect(error.message).toMatch(/control flow/);
  });

  it('a weight that names no Const node, and a missing node list', async () => {
    expect((await refusal((m) => void (m.weightsManifest[0].weights[0].name = 'no_such_node'))).message).toMatch(/no_such_node match no Const node/);
    expect((await refusal((m) => void delete m.modelTopology.node)).message).toMatch(/GraphDef/);
  });

  it('shapes that disagree with checkpoint.json', async () => {
    const wrongSide = await refusal(() => undefined, { resolution: 32 });
    expect(wrongSide.code).toBe('WRONG_SHAPE');
    expect(wrongSide.message).toMatch(/\[16, 16, 1\]; checkpoint.json declares 32×32/);
    const wrongInput = await refusal(() => undefined, { latentDim: 6 });
    expect(wrongInput.message).toMatch(/input is \[-1, 10\]; checkpoint.json implies \[batch, 8\]/);
  });

  it('float64 or quantised weights', async () => {
    expect((await refusal((m) => void (m.weightsManifest[0].weights[0].dtype = 'float64'))).message).toMatch(/float32/);
  });
});

describe('the shipped demo generators (checkpoints/demo-*, scripts/gan/train.py pgan-lite)', () => {
  for (const name of ['demo-ct-64', 'demo-cxr-64']) {
    it(`${name} is a graph model of the pgan-lite family that gives varied images, the same on wasm and cpu to the chunk check's tolerance`, async () => {
      const dir = path.resolve('checkpoints', name);
      const files = new Map(fs.readdirSync(dir).filter((f) => /^(checkpoint|model)\.json$|\.bin$/.test(f)).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(dir, f)))]));
      const grey: Uint8Array[][] = [];
      for (const backend of ['wasm', 'cpu'] as const) {
        const checkpoint: LoadedCheckpoint = await buildCheckpointModel(inspectCheckpointFiles(files), backend);
        try {
          expect(checkpoint.format).toBe('graph-model');
          expect(checkpoint.manifest).toMatchObject({ name, resolution: 64, latentDim: 64, labels: [], architecture: { family: 'pgan-lite' }, training: { heldOut: 1000 } });
          grey.push(await generateGrey(checkpoint, Array.from({ length: 6 }, (_, index) => ({ index, labels: [] })), { seed: 20261127 }));
        } finally {
          checkpoint.dispose();
        }
      }
      const [wasm, cpu] = grey;
      for (let i = 0; i < wasm.length; i++) {
        const delta = pixelDelta(wasm[i], cpu[i]);
        expect(delta.maxAbs).toBeLessThanOrEqual(CHECK_TOLERANCE.maxAbs);
        expect(delta.meanAbs).toBeLessThanOrEqual(CHECK_TOLERANCE.meanAbs);
        expect(Math.max(...wasm[i]) - Math.min(...wasm[i])).toBeGreaterThan(100);
      }
      expect(pixelDelta(wasm[0], wasm[1]).meanAbs).toBeGreaterThan(5);
    }, 60_000);
  }
});
