import type * as tfTypes from '@tensorflow/tfjs';
import { useBackend, type GanBackend, type GanBackendSetting, resolveBackend } from './backend';
import { compileGenerator, type Forward } from './compile';
import { CheckpointError } from './errors';
import type { CheckpointContents } from './contents';

/**
 * A checkpoint with its tfjs model built (its files are read by contents.ts). `forward` is the compiled
 * inference plan (compile.ts); `dispose` frees the model and the plan.
 */
export type LoadedCheckpoint = CheckpointContents & { model: tfTypes.LayersModel; forward: Forward; backend: GanBackend; dispose: () => void };

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
        format: 'layers-model',
      };
    },
  };
}

/** Builds the model on the backend and checks its input and output shapes against checkpoint.json. */
export async function buildCheckpointModel(contents: CheckpointContents, backend: GanBackendSetting): Promise<LoadedCheckpoint> {
  const tf = await useBackend(backend);
  let model: tfTypes.LayersModel;
  try {
    model = await tf.loadLayersModel(memoryIOHandler(contents), { strict: true });
  } catch (error) {
    throw new CheckpointError('BAD_WEIGHTS', `TensorFlow.js cannot build the model from model.json and its weights: ${(error as Error).message}`, { cause: error });
  }
  const { manifest } = contents;
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new CheckpointError('WRONG_SHAPE', `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; one of each is needed`);
    }
    const inputShape = model.inputs[0].shape;
    const expectedInput = manifest.latentDim + manifest.labels.length;
    if (inputShape.length !== 2 || inputShape[1] !== expectedInput) {
      throw new CheckpointError(
        'WRONG_SHAPE',
        `the model's input is [${inputShape.map(String).join(', ')}]; checkpoint.json implies [batch, ${expectedInput}] (latentDim ${manifest.latentDim} + ${manifest.labels.length} labels)`,
      );
    }
    const outputShape = model.outputs[0].shape;
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
  const plan = compileGenerator(tf, model);
  return {
    ...contents,
    model,
    forward: plan.forward,
    backend: resolveBackend(backend),
    dispose: () => {
      plan.dispose();
      model.dispose();
    },
  };
}
