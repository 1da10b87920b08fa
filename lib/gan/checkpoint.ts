import type * as tfTypes from '@tensorflow/tfjs';
import { useBackend, type GanBackend, type GanBackendSetting, resolveBackend } from './backend';
import { compileGenerator, type Forward } from './compile';
import { CheckpointError } from './errors';
import type { CheckpointContents } from './contents';
import { isGraphModel, loadGeneratorModel, modelFormatOf, runGenerator, type GeneratorModel, type ModelFormat } from './model-format';

/**
 * A checkpoint with its tfjs model built (its files are read by contents.ts), a layers or a graph model
 * (model-format.ts). `forward` is the compiled inference plan of a layers model (compile.ts) or the graph
 * model's `execute`; `dispose` frees the model and the plan.
 */
export type LoadedCheckpoint = CheckpointContents & { model: GeneratorModel; format: ModelFormat; forward: Forward; backend: GanBackend; dispose: () => void };

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
