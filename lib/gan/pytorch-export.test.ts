import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { buildGenerator } from './architecture';
import { useBackend } from './backend';
import { generateGrey } from './generate';
import { generatorInput, latentFor, toGrey8 } from './latents';
import { loadCheckpoint } from './load';

/**
 * The training script's export, end to end: scripts/gan/train.py (PyTorch, PYTHON_TORCH) trains a tiny
 * conditional generator for a few steps on a tiny array, writes the checkpoint zip and its own outputs for
 * latents chosen here; tfjs loads the zip and must agree to 1e-4 on the same inputs, on wasm and cpu. Both
 * architectures: upsample-conv (a layers model) and pgan-lite (equalised LR, pixel norm: a graph model), and
 * pgan-lite fine-tuned from its own exported folder (--init-from) with a background snap (ClipByValue), once more
 * with a tone curve fitted at export (--tone-curve), and that again with a background clean-up (--background-cleanup).
 */
const run = promisify(execFile);
const SPEC = { resolution: 16, latentDim: 8, baseChannels: 16, minChannels: 4 };
const VOCABULARY = ['Effusion', 'Nodule'];
const PROBES = 6;

let dir: string;
let zip: Uint8Array;
let torchOut: Float32Array;
let inputs: Float32Array;
let modelJson: { modelTopology: { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } } };
type Trained = { zip: Uint8Array; torchOut: Float32Array; modelJson: { format: string; modelTopology: { node: Array<{ op: string }> } } };
let graph: Trained;
let snapped: Trained;
let toned: Trained;
let cleaned: Trained;
/** The snapped run's background: grey 127.5 is output 0; ±20 grey levels around it snap to exactly 0. */
const SNAP = { grey: 127.5, halfWidthGrey: 20 };
/** The toned run snaps onto a grey level the training images hold exactly (2.7 % of their pixels are grey 100). */
const TONED_SNAP = { grey: 100, halfWidthGrey: 10 };
const TONE_KNOTS = 32;
/** The cleaned run's clean-up: one neighbour on the background is enough (the demo uses 6), so it acts often here. */
const CLEANUP = 1;
let tiny: Uint8Array;
let tinyLabels: string[][];

async function train(arch: 'upsample-conv' | 'pgan-lite', extra: string[] = [], name: string = arch) {
  const script = path.resolve('scripts', 'gan', 'train.py');
  const out = path.join(dir, name);
  const args = [
    script, '--arch', arch, '--data', path.join(dir, 'tiny.u8.gz'), '--side', '16', '--labels', path.join(dir, 'labels.csv'),
    '--resolution', '16', '--latent', '8', '--base-channels', '16', '--min-channels', '4', '--d-channels', '8',
    '--steps', '3', '--batch', '8', '--sample-every', '0', '--threads', '1',
    '--name', 'export test', '--modality', 'CXR', '--data-name', 'synthetic test pattern', '--licence', 'CC0-1.0',
    '--out', out, '--zip', path.join(out, 'checkpoint.zip'),
    '--probe-in', path.join(dir, 'probe.f32'), '--probe-out', path.join(out, 'torch.f32'),
    ...extra,
  ];
  const python = getConfig().PYTHON_TORCH;
  try {
    await run(python, args, { timeout: 120_000 });
  } catch (error) {
    throw new Error(`${python} scripts/gan/train.py failed (PYTHON_TORCH must name a Python with PyTorch): ${(error as { stderr?: string }).stderr ?? error}`);
  }
  return {
    zip: new Uint8Array(fs.readFileSync(path.join(out, 'checkpoint.zip'))),
    torchOut: new Float32Array(new Uint8Array(fs.readFileSync(path.join(out, 'torch.f32'))).buffer),
    modelJson: JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')),
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-export-'));
  // 24 images of 16×16: smooth gradients with a bright disc whose place depends on the labels.
  const images = new Uint8Array(24 * 256);
  const rows = ['file,labels'];
  tinyLabels = [];
  for (let n = 0; n < 24; n++) {
    const labels = [n % 2 ? 'Effusion' : '', n % 3 ? '' : 'Nodule'].filter(Boolean);
    tinyLabels.push(labels);
    rows.push(`${n},${labels.join('|')}`);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) {
      const disc = (x - (n % 2 ? 5 : 10)) ** 2 + (y - (n % 3 ? 5 : 10)) ** 2 < 9 ? 120 : 0;
      images[n * 256 + y * 16 + x] = Math.min(255, 40 + 6 * x + 3 * y + disc);
    }
  }
  tiny = images;
  fs.writeFileSync(path.join(dir, 'tiny.u8.gz'), gzipSync(images));
  fs.writeFileSync(path.join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
  const labelSets = [[], ['Effusion'], ['Nodule'], ['Effusion', 'Nodule'], [], ['Nodule']];
  inputs = new Float32Array(PROBES * (SPEC.latentDim + VOCABULARY.length));
  for (let i = 0; i < PROBES; i++) inputs.set(generatorInput(latentFor(77, i, SPEC.latentDim, i % 2 ? 1.5 : undefined), VOCABULARY, labelSets[i]), i * (SPEC.latentDim + VOCABULARY.length));
  fs.writeFileSync(path.join(dir, 'probe.f32'), Buffer.from(inputs.buffer));
  ({ zip, torchOut, modelJson } = await train('upsample-conv'));
  graph = await train('pgan-lite');
  snapped = await train('pgan-lite', ['--init-from', path.join(dir, 'pgan-lite'), '--d-warmup', '2', '--background-grey', String(SNAP.grey), '--snap-grey', String(SNAP.halfWidthGrey)], 'snapped');
  const tonedArgs = ['--init-from', path.join(dir, 'pgan-lite'), '--d-warmup', '2', '--background-grey', String(TONED_SNAP.grey), '--snap-grey', String(TONED_SNAP.halfWidthGrey), '--tone-curve', String(TONE_KNOTS), '--tone-samples', '512'];
  toned = await train('pgan-lite', tonedArgs, 'toned');
  // The toned run's generator exported again (same weights, same seed: the same curve), with a clean-up.
  cleaned = await train('pgan-lite', [...tonedArgs, '--export-snapshot', path.join(dir, 'toned', 'train-state.pt'), '--background-cleanup', String(CLEANUP)], 'cleaned');
}, 300_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The checkpoint's forward pass on the probe inputs, on a backend. */
async function tfjsProbeOutput(checkpointZip: Uint8Array, backend: 'wasm' | 'cpu'): Promise<Float32Array> {
  const loaded = await loadCheckpoint(checkpointZip, { backend });
  try {
    const tf = await useBackend(backend);
    const input = tf.tensor2d(inputs, [PROBES, SPEC.latentDim + VOCABULARY.length]);
    const out = loaded.forward(input);
    const values = (await out.data()) as Float32Array;
    out.dispose();
    input.dispose();
    return values;
  } finally {
    loaded.dispose();
  }
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Share of the pixels in each of 16 equal grey-level bins (0–15, 16–31, …). */
function greyHistogram(images: readonly Uint8Array[]): number[] {
  const counts = new Array(16).fill(0);
  let total = 0;
  for (const image of images) for (const v of image) {
    counts[v >> 4]++;
    total++;
  }
  return counts.map((c) => c / total);
}
const totalVariation = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / 2;

describe('PyTorch export (scripts/gan/train.py) → tfjs', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`tfjs (${backend}) and PyTorch agree to 1e-4 on the same latents and labels`, async () => {
      const loaded = await loadCheckpoint(zip, { backend });
      try {
        expect(loaded.manifest).toMatchObject({ name: 'export test', modality: 'CXR', resolution: 16, latentDim: 8, labels: VOCABULARY });
        expect(loaded.manifest.training).toMatchObject({ data: 'synthetic test pattern', licence: 'CC0-1.0', steps: 3 });
        const tf = await useBackend(backend);
        // Both the layers model itself and the compiled plan the generator runs.
        const input = tf.tensor2d(inputs, [PROBES, SPEC.latentDim + VOCABULARY.length]);
        const predicted = (loaded.model.predict(input) as import('@tensorflow/tfjs').Tensor).dataSync();
        const out = loaded.forward(input);
        const tfjsOut = (await out.data()) as Float32Array;
        out.dispose();
        input.dispose();
        for (let i = 0; i < predicted.length; i++) expect(Math.abs(predicted[i] - torchOut[i])).toBeLessThan(1e-4);
        expect(tfjsOut.length).toBe(torchOut.length);
        let maxDiff = 0;
        for (let i = 0; i < tfjsOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tfjsOut[i] - torchOut[i]));
        expect(maxDiff).toBeLessThan(1e-4);
        // Not a trivial agreement: the outputs vary across pixels and with the labels.
        const first = torchOut.slice(0, 256);
        const second = torchOut.slice(256 * 2, 256 * 3);
        expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(0.01);
        expect(first).not.toEqual(second);
      } finally {
        loaded.dispose();
      }
    });
  }

  it('writes the topology lib/gan/architecture.ts builds (same layers, names and settings)', async () => {
    const tf = await useBackend('wasm');
    const model = buildGenerator(tf, { ...SPEC, labels: VOCABULARY });
    const ours = model.toJSON(null, false) as unknown as typeof modelJson.modelTopology;
    model.dispose();
    const keys = ['name', 'units', 'use_bias', 'target_shape', 'epsilon', 'alpha', 'size', 'interpolation', 'filters', 'kernel_size', 'strides', 'padding', 'activation', 'batch_input_shape'];
    const essential = (layers: typeof ours.config.layers) => layers.map((l) => [l.class_name, Object.fromEntries(keys.filter((k) => k in l.config).map((k) => [k, l.config[k]]))]);
    expect(essential(modelJson.modelTopology.config.layers)).toEqual(essential(ours.config.layers));
  });
});

describe('PyTorch pgan-lite export (equalised LR, pixel norm) → a tfjs graph model', () => {
  it('is a graph model of plain TensorFlow ops (pixel norm as arithmetic, nearest upsampling)', () => {
    expect(graph.modelJson.format).toBe('graph-model');
    const ops = new Set(graph.modelJson.modelTopology.node.map((n) => n.op));
    for (const op of ['Placeholder', 'MatMul', 'Conv2D', 'ResizeNearestNeighbor', 'Rsqrt', 'Mean', 'LeakyRelu', 'Tanh']) expect(ops).toContain(op);
    expect(ops).not.toContain('FusedBatchNormV3');
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`tfjs loadGraphModel (${backend}) and PyTorch agree to 1e-4 on the same latents and labels`, async () => {
      const loaded = await loadCheckpoint(graph.zip, { backend });
      try {
        expect(loaded.format).toBe('graph-model');
        expect(loaded.manifest).toMatchObject({ name: 'export test', resolution: 16, latentDim: 8, labels: VOCABULARY, architecture: { family: 'pgan-lite' } });
        expect(loaded.manifest.training).toMatchObject({ steps: 3, heldOut: 0 });
        const tf = await useBackend(backend);
        const input = tf.tensor2d(inputs, [PROBES, SPEC.latentDim + VOCABULARY.length]);
        const out = loaded.forward(input);
        expect(out.shape).toEqual([PROBES, 16, 16, 1]);
        const tfjsOut = (await out.data()) as Float32Array;
        out.dispose();
        input.dispose();
        expect(tfjsOut.length).toBe(graph.torchOut.length);
        let maxDiff = 0;
        for (let i = 0; i < tfjsOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tfjsOut[i] - graph.torchOut[i]));
        expect(maxDiff).toBeLessThan(1e-4);
        const first = graph.torchOut.slice(0, 256);
        expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(0.01);
        expect(first).not.toEqual(graph.torchOut.slice(256 * 2, 256 * 3));
      } finally {
        loaded.dispose();
      }
    });
  }
});

describe('pgan-lite fine-tuned from an exported folder (--init-from) with a background snap', () => {
  it('records the snap and where training started, and exports the snap as plain ops', async () => {
    const loaded = await loadCheckpoint(snapped.zip, { backend: 'cpu' });
    try {
      expect(loaded.manifest).toMatchObject({ architecture: { family: 'pgan-lite', backgroundSnap: SNAP } });
      expect(loaded.manifest.training).toMatchObject({ steps: 3, initFrom: { checkpoint: 'pgan-lite', steps: 3 } });
    } finally {
      loaded.dispose();
    }
    const ops = snapped.modelJson.modelTopology.node.map((n) => n.op);
    expect(ops).toContain('ClipByValue');
    expect(ops.indexOf('ClipByValue')).toBeGreaterThan(ops.indexOf('Tanh'));
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`tfjs (${backend}) and PyTorch agree to 1e-4, and output near the background is exactly the background`, async () => {
      const tfjsOut = await tfjsProbeOutput(snapped.zip, backend);
      expect(maxAbsDifference(tfjsOut, snapped.torchOut)).toBeLessThan(1e-4);
      // The snap is active: some pixels sit exactly on the background (output 0, which tanh alone all but never
      // gives), though not all of them.
      const onBackground = Array.from(tfjsOut).filter((v) => Math.abs(v) < 1e-6).length;
      expect(Array.from(snapped.torchOut).filter((v) => v === 0).length).toBe(onBackground);
      expect(onBackground).toBeGreaterThan(0);
      expect(onBackground).toBeLessThan(tfjsOut.length);
    });
  }
});

describe('pgan-lite exported with a tone curve fitted to the training images (--tone-curve)', () => {
  it('records the curve and its fit, and exports it as plain ops between tanh and the snap', async () => {
    const loaded = await loadCheckpoint(toned.zip, { backend: 'cpu' });
    try {
      const architecture = loaded.manifest.architecture as { backgroundSnap: unknown; toneCurve: { input: number[]; output: number[] } };
      expect(architecture.backgroundSnap).toEqual(TONED_SNAP);
      const { input, output } = architecture.toneCurve;
      expect(input.length).toBe(output.length);
      expect(input.length).toBeGreaterThanOrEqual(TONE_KNOTS - 2);
      expect(input[0]).toBe(-1);
      expect(input[input.length - 1]).toBe(1);
      for (let i = 1; i < input.length; i++) {
        expect(input[i]).toBeGreaterThan(input[i - 1]);
        expect(output[i]).toBeGreaterThanOrEqual(output[i - 1]);
      }
      expect(loaded.manifest.training).toMatchObject({ initFrom: { checkpoint: 'pgan-lite' }, toneCurve: { generatedImages: 512, trainingImages: 24 } });
    } finally {
      loaded.dispose();
    }
    const ops = toned.modelJson.modelTopology.node.map((n) => n.op);
    expect(ops.indexOf('Sum')).toBeGreaterThan(ops.indexOf('Tanh'));
    expect(ops.indexOf('ClipByValue')).toBeGreaterThan(ops.indexOf('Sum'));
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`tfjs (${backend}) and PyTorch agree to 1e-4`, async () => {
      expect(maxAbsDifference(await tfjsProbeOutput(toned.zip, backend), toned.torchOut)).toBeLessThan(1e-4);
    });
  }

  it("gives the app's generated images the training images' grey levels, exact background share included", async () => {
    const loaded = await loadCheckpoint(toned.zip, { backend: 'wasm' });
    try {
      // 480 images from the app's own latents (not the ones the curve was fitted on), labels as in the training set.
      const generated = await generateGrey(loaded, Array.from({ length: 480 }, (_, index) => ({ index, labels: tinyLabels[index % 24] })), { seed: 5 });
      const trainingImages = Array.from({ length: 24 }, (_, n) => tiny.subarray(n * 256, (n + 1) * 256));
      const real = greyHistogram(trainingImages);
      expect(totalVariation(greyHistogram(generated), real)).toBeLessThan(0.12);
      // Without the curve (the run it started from, 3 steps of training) the grey levels are far from the data's.
      const untoned = [];
      for (let i = 0; i < PROBES; i++) untoned.push(toGrey8(graph.torchOut, i * 256, 256, [-1, 1])!);
      expect(totalVariation(greyHistogram(untoned), real)).toBeGreaterThan(0.3);
      const share = (images: readonly Uint8Array[], grey: number) => images.reduce((n, p) => n + p.filter((v) => v === grey).length, 0) / (images.length * 256);
      expect(share(trainingImages, TONED_SNAP.grey)).toBeGreaterThan(0.02);
      expect(Math.abs(share(generated, TONED_SNAP.grey) - share(trainingImages, TONED_SNAP.grey))).toBeLessThan(0.01);
    } finally {
      loaded.dispose();
    }
  });
});

describe('pgan-lite exported with a background clean-up (--background-cleanup)', () => {
  it('records it and exports it as plain ops after the snap', async () => {
    const loaded = await loadCheckpoint(cleaned.zip, { backend: 'cpu' });
    try {
      expect(loaded.manifest.architecture).toMatchObject({ backgroundSnap: TONED_SNAP, backgroundCleanup: { minBackgroundNeighbours: CLEANUP } });
    } finally {
      loaded.dispose();
    }
    const ops = cleaned.modelJson.modelTopology.node.map((n) => n.op);
    expect(ops.lastIndexOf('Conv2D')).toBeGreaterThan(ops.indexOf('ClipByValue'));
    expect(ops).toContain('Abs');
  });

  it('moves a pixel to the background by clip(9 − n − q, 0, 1), q its neighbours off the background (PyTorch, against this formula)', () => {
    // Same weights as the toned run, so its output is the input of the clean-up. Background-ness of a value:
    // clip(1 − |z − b| / two grey levels, 0, 1); outside the image counts as background.
    const b = TONED_SNAP.grey / 127.5 - 1;
    const side = 16;
    let moved = 0;
    let kept = 0;
    for (let p = 0; p < PROBES; p++) {
      const z = (x: number, y: number) => toned.torchOut[p * side * side + y * side + x];
      const bg = (x: number, y: number) => (x < 0 || y < 0 || x >= side || y >= side ? 1 : Math.min(1, Math.max(0, 1 - (Math.abs(z(x, y) - b) * 127.5) / 2)));
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
        let q = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx || dy) q += 1 - bg(x + dx, y + dy);
        const r = Math.min(1, Math.max(0, 9 - CLEANUP - q));
        const expected = z(x, y) + (b - z(x, y)) * r;
        expect(Math.abs(cleaned.torchOut[p * side * side + y * side + x] - expected)).toBeLessThan(1e-5);
        if (r > 0 && Math.abs(z(x, y) - b) > 0.05) moved++;
        if (r === 0) kept++;
      }
    }
    // Not a vacuous check: pixels well off the background moved, and others stayed.
    expect(moved).toBeGreaterThan(20);
    expect(kept).toBeGreaterThan(20);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    // The clean-up moves a pixel linearly in its neighbours' values over a ramp two grey levels wide, so float32
    // rounding differences come out up to 8 × 127.5 / 2 times larger: 1e-3 is 0.13 grey levels.
    it(`tfjs (${backend}) and PyTorch agree to 1e-3`, async () => {
      expect(maxAbsDifference(await tfjsProbeOutput(cleaned.zip, backend), cleaned.torchOut)).toBeLessThan(1e-3);
    });
  }
});
