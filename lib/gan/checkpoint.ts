import { createHash } from 'node:crypto';
import type * as tfTypes from '@tensorflow/tfjs';
import { useBackend, type GanBackend, type GanBackendSetting, resolveBackend } from './backend';
import { compileGenerator, type Forward } from './compile';
import { CheckpointError } from './errors';
import { declaredBytes, parseCheckpointManifest, parseModelJson, type CheckpointManifest, type ModelJson } from './manifest';
import { isGraphModel, loadGeneratorModel, modelFormatOf, runGenerator, type GeneratorModel, type ModelFormat } from './model-format';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip';

/**
 * A checkpoint in memory: its files (from a zip, never from the filesystem or HTTP), the parsed manifest,
 * and the tfjs model built from them by an IOHandler over those bytes. `sha256` identifies the content,
 * not the zip: the same files zipped twice (other timestamps, compression, a folder) have the same hash.
 */
export type CheckpointFiles = Map<string, Uint8Array>;
export type CheckpointContents = { manifest: CheckpointManifest; modelJson: ModelJson; files: CheckpointFiles; sha256: string; weightBytes: number };
/**
 * `forward` is the compiled inference plan of a layers model (compile.ts) or the graph model's `execute`;
 * `dispose` frees the model and the plan.
 */
export type LoadedCheckpoint = CheckpointContents & { model: GeneratorModel; format: ModelFormat; forward: Forward; backend: GanBackend; dispose: () => void };

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

/** An IOHandler over bytes in memory: the weights of every group concatenated in manifest order. */
export function memoryIOHandler(contents: Pick<CheckpointContents, 'modelJson' | 'files'>): tfTypes.io.IOHandler {
  return {
    load: async () => {
      const specs = contents.modelJson.weightsManifest.flatMap((g) => g.weights);
      const parts = contents.modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => contents.files.get(p)!));
      const total = parts.reduce((n, p) => n + p.length, 0);
      const weightData = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        weightData.set(part, at);
        at += part.length;
      }
      return {
        modelTopology: contents.modelJson.modelTopology as tfTypes.io.ModelArtifacts['modelTopology'],
        weightSpecs: specs as tfTypes.io.WeightsManifestEntry[],
        weightData: weightData.buffer,
        format: modelFormatOf(contents.modelJson),
        ...(contents.modelJson.signature ? { signature: contents.modelJson.signature } : {}),
      };
    },
  };
}

/** Builds the model on the backend and checks its input and output shapes against checkpoint.json. */
export async function buildCheckpointModel(contents: CheckpointContents, backend: GanBackendSetting): Promise<LoadedCheckpoint> {
  const tf = await useBackend(backend);
  const format = modelFormatOf(contents.modelJson);
  let model: GeneratorModel;
  try {
    model = await loadGeneratorModel(tf, format, memoryIOHandler(contents));
  } catch (error) {
    throw new CheckpointError('BAD_WEIGHTS', `TensorFlow.js cannot build the ${format === 'graph-model' ? 'graph' : 'layers'} model from model.json and its weights: ${(error as Error).message}`, { cause: error });
  }
  const { manifest } = contents;
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new CheckpointError('WRONG_SHAPE', `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; one of each is needed`);
    }
    const inputShape = model.inputs[0].shape ?? [];
    const expectedInput = manifest.latentDim + manifest.labels.length;
    if (inputShape.length !== 2 || inputShape[1] !== expectedInput) {
      throw new CheckpointError(
        'WRONG_SHAPE',
        `the model's input is [${inputShape.map(String).join(', ')}]; checkpoint.json implies [batch, ${expectedInput}] (latentDim ${manifest.latentDim} + ${manifest.labels.length} labels)`,
      );
    }
    // A graph declares no output shape: it is read from one forward pass.
    const outputShape = isGraphModel(model) ? probeOutputShape(tf, model, expectedInput) : model.outputs[0].shape;
    const r = manifest.resolution;
    if (outputShape.length !== 4 || outputShape[1] !== r || outputShape[2] !== r || outputShape[3] !== 1) {
      throw new CheckpointError(
        'WRONG_SHAPE',
        `the model makes images of shape [${outputShape.slice(1).map(String).join(', ')}]; checkpoint.json declares ${r}×${r} greyscale ([${r}, ${r}, 1])`,
      );
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  if (isGraphModel(model)) {
    const graph = model;
    return { ...contents, model, format, forward: (input) => runGenerator(graph, input), backend: resolveBackend(backend), dispose: () => graph.dispose() };
  }
  const plan = compileGenerator(tf, model);
  const layers = model;
  return {
    ...contents,
    model,
    format,
    forward: plan.forward,
    backend: resolveBackend(backend),
    dispose: () => {
      plan.dispose();
      layers.dispose();
    },
  };
}

function probeOutputShape(tf: typeof tfTypes, model: tfTypes.GraphModel, width: number): Array<number | null> {
  try {
    return tf.tidy(() => runGenerator(model, tf.zeros([1, width]) as tfTypes.Tensor2D).shape);
  } catch (error) {
    throw new CheckpointError('BAD_MODEL', `the graph model does not run on an input of shape [1, ${width}]: ${(error as Error).message}`, { cause: error });
  }
}
