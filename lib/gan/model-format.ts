import type * as tfTypes from '@tensorflow/tfjs';

/**
 * The two TensorFlow.js model formats a checkpoint may hold, on the server and in the browser (no Node
 * imports here): a **layers model** (Keras topology, `"format": "layers-model"`, or no format) or a
 * **graph model** (a frozen GraphDef, `"format": "graph-model"`, what the TensorFlow.js converter makes from
 * a SavedModel or a Keras model, custom layers included). Both take [batch, latentDim + labels] and return
 * [batch, resolution, resolution, 1].
 */
export type ModelFormat = 'layers-model' | 'graph-model';
export type GeneratorModel = tfTypes.LayersModel | tfTypes.GraphModel;

export function modelFormatOf(modelJson: { format?: string }): ModelFormat {
  return modelJson.format === 'graph-model' ? 'graph-model' : 'layers-model';
}

/** Loads a model from a URL or an IOHandler in the format its model.json declares. */
export async function loadGeneratorModel(tf: typeof tfTypes, format: ModelFormat, source: string | tfTypes.io.IOHandler): Promise<GeneratorModel> {
  return format === 'graph-model' ? tf.loadGraphModel(source) : tf.loadLayersModel(source, { strict: true });
}

// Both classes have `execute` and `predict`; only a layers model has layers.
export function isGraphModel(model: GeneratorModel): model is tfTypes.GraphModel {
  return typeof (model as tfTypes.LayersModel).getLayer !== 'function';
}

/** One forward pass (a graph model is executed synchronously: generators have no control flow). */
export function runGenerator(model: GeneratorModel, input: tfTypes.Tensor2D): tfTypes.Tensor {
  return (isGraphModel(model) ? model.execute(input) : model.predict(input)) as tfTypes.Tensor;
}
