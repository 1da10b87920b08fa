import { z } from 'zod';
import { MAX_SIDE, MIN_SIDE } from '@/lib/images';
import { CheckpointError } from './errors';

/**
 * The checkpoint contract (README "GAN checkpoints"): a zip holding
 *   checkpoint.json  what the generator is (this schema)
 *   model.json       a TensorFlow.js layers model (Keras topology) or graph model (frozen GraphDef, from the
 *                    TensorFlow.js converter) + weights manifest (float32, no quantisation)
 *   *.bin            the weight shards named in model.json
 * The model takes one input [batch, latentDim + labels.length] = concat(z, multi-hot labels in `labels` order)
 * and returns [batch, resolution, resolution, 1] in `outputRange`.
 */
export const CHECKPOINT_FORMAT = 'reader-study-gan/1';

const labelName = z.string().min(1).max(64).regex(/^[A-Za-z0-9_][A-Za-z0-9 _.-]*$/, 'letters, digits, space, _ . - only');

export const checkpointManifestSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT).optional(),
    name: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 _.()-]*$/, 'letters, digits, space, _ . ( ) - only'),
    modality: z.enum(['CXR', 'CT_HEAD']),
    resolution: z.number().int().min(MIN_SIDE).max(Math.min(MAX_SIDE, 1024)),
    latentDim: z.number().int().min(1).max(4096),
    labels: z.array(labelName).max(256).default([]).refine((l) => new Set(l).size === l.length, 'labels must be unique'),
    outputRange: z
      .tuple([z.number(), z.number()])
      .default([-1, 1])
      .refine(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && lo < hi, 'outputRange must be [low, high] with low < high'),
    training: z
      .object({ data: z.string().min(1).max(500), licence: z.string().min(1).max(500) })
      .passthrough(),
    codeVersion: z.string().min(1).max(200),
    architecture: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export type CheckpointManifest = z.infer<typeof checkpointManifestSchema>;

export function parseCheckpointManifest(bytes: Uint8Array): CheckpointManifest {
  const json = parseJson(bytes, 'checkpoint.json', 'BAD_MANIFEST');
  const parsed = checkpointManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CheckpointError('BAD_MANIFEST', `checkpoint.json is not valid: ${problems}`);
  }
  return parsed.data;
}

/** The layers a checkpoint may use: enough for upsample+conv and transposed-conv generators, nothing exotic. */
export const ALLOWED_LAYERS = new Set([
  'InputLayer',
  'Dense',
  'Reshape',
  'BatchNormalization',
  'LayerNormalization',
  'LeakyReLU',
  'ReLU',
  'Activation',
  'UpSampling2D',
  'Conv2D',
  'Conv2DTranspose',
  'Dropout',
]);

/**
 * The ops a graph-model generator may use: what a converted Keras/TF generator needs (dense, convolutions,
 * resampling, normalisations written as arithmetic — pixel norm, modulated convolutions —, activations, shape
 * plumbing), all run by TensorFlow.js. No control flow (the server executes the graph synchronously), no
 * variables, no I/O.
 */
export const ALLOWED_GRAPH_OPS = new Set([
  'Placeholder', 'Const', 'Identity', 'IdentityN', 'NoOp', 'StopGradient', 'Snapshot',
  'MatMul', 'BatchMatMul', 'BatchMatMulV2', 'Einsum', 'BiasAdd', '_FusedMatMul',
  'Conv2D', '_FusedConv2D', 'Conv2DBackpropInput', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative',
  'ResizeNearestNeighbor', 'ResizeBilinear', 'DepthToSpace', 'Pad', 'PadV2', 'MirrorPad',
  'FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3',
  'Add', 'AddV2', 'AddN', 'Sub', 'Mul', 'RealDiv', 'Div', 'DivNoNan', 'Maximum', 'Minimum', 'Pow', 'SquaredDifference',
  'Square', 'Sqrt', 'Rsqrt', 'Reciprocal', 'Exp', 'Log', 'Log1p', 'Neg', 'Abs', 'Sign', 'Erf', 'ClipByValue',
  'Mean', 'Sum', 'Prod', 'Max', 'Min',
  'Relu', 'Relu6', 'LeakyRelu', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Softplus', 'Prelu',
  'Reshape', 'Squeeze', 'ExpandDims', 'Transpose', 'ConcatV2', 'Concat', 'Pack', 'Unpack', 'Split', 'SplitV',
  'Slice', 'StridedSlice', 'Tile', 'Fill', 'Shape', 'Cast', 'ZerosLike', 'OnesLike', 'Range',
  'GatherV2', 'Select', 'SelectV2', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal',
]);

const floatWeight = z.literal('float32', { message: 'only float32 weights are supported' });
const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  // A graph model also holds its shape and axis constants as int32 weights (the converter extracts every Const).
  dtype: z.union([floatWeight, z.literal('int32')], { message: 'only float32 weights (and int32 constants in a graph model) are supported' }),
  quantization: z.undefined({ message: 'quantised weights are not supported; export float32' }).optional(),
});
const SHARD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const modelJsonSchema = z.object({
  format: z.string().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string().regex(SHARD_NAME, 'a shard path must be a plain file name (no folders)')).min(1), weights: z.array(weightSpecSchema) }))
    .min(1),
  signature: z.record(z.string(), z.unknown()).optional(),
});
export type WeightSpec = z.infer<typeof weightSpecSchema>;
export type ModelJson = z.infer<typeof modelJsonSchema>;

export function parseModelJson(bytes: Uint8Array): ModelJson {
  const json = parseJson(bytes, 'model.json', 'BAD_MODEL');
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CheckpointError('BAD_MODEL', `model.json is not a TensorFlow.js layers or graph model: ${problems}`);
  }
  const { format } = parsed.data;
  if (format === 'graph-model') {
    checkGraph(parsed.data);
    return parsed.data;
  }
  if (format !== undefined && format !== 'layers-model') {
    throw new CheckpointError('BAD_MODEL', `model.json has format "${format}"; a layers model ("layers-model") or a graph model ("graph-model") is needed`);
  }
  const int32 = parsed.data.weightsManifest.flatMap((g) => g.weights).filter((w) => w.dtype !== 'float32');
  if (int32.length) throw new CheckpointError('BAD_MODEL', `model.json: weight ${int32[0].name} is ${int32[0].dtype}; a layers model's weights must be float32`);
  const layers = topologyLayers(parsed.data.modelTopology);
  const unknown = [...new Set(layers.map((l) => l.class_name).filter((c) => !ALLOWED_LAYERS.has(c)))];
  if (unknown.length) {
    throw new CheckpointError(
      'BAD_MODEL',
      `model.json uses layer type(s) ${unknown.join(', ')}; allowed: ${[...ALLOWED_LAYERS].join(', ')} (a generator with custom layers converts to a graph model, see README)`,
    );
  }
  return parsed.data;
}

const graphNodeSchema = z.object({ name: z.string().min(1), op: z.string().min(1), input: z.array(z.string()).optional(), attr: z.record(z.string(), z.unknown()).optional() }).passthrough();

/** A graph model: a GraphDef's nodes, ops from the allowed set, one Placeholder, every weight a Const node. */
function checkGraph(modelJson: ModelJson): void {
  const nodes = z.array(graphNodeSchema).min(1).safeParse(modelJson.modelTopology.node);
  if (!nodes.success) throw new CheckpointError('BAD_MODEL', 'model.json: a graph model\'s modelTopology needs a "node" list of { name, op } (a GraphDef as JSON)');
  const library = modelJson.modelTopology.library as { function?: unknown[] } | undefined;
  if (library?.function?.length) throw new CheckpointError('BAD_MODEL', 'model.json: the graph defines functions (control flow); export a generator without control flow');
  const unknown = [...new Set(nodes.data.map((n) => n.op).filter((op) => !ALLOWED_GRAPH_OPS.has(op)))];
  if (unknown.length) throw new CheckpointError('BAD_MODEL', `model.json: the graph uses op(s) ${unknown.join(', ')} that a generator may not use; allowed: ${[...ALLOWED_GRAPH_OPS].join(', ')}`);
  const placeholders = nodes.data.filter((n) => n.op === 'Placeholder');
  if (placeholders.length !== 1) throw new CheckpointError('WRONG_SHAPE', `the graph has ${placeholders.length} inputs (Placeholder nodes); one is needed: [batch, latentDim + labels]`);
  const constants = new Set(nodes.data.filter((n) => n.op === 'Const').map((n) => n.name));
  const stray = modelJson.weightsManifest.flatMap((g) => g.weights).filter((w) => !constants.has(w.name));
  if (stray.length) throw new CheckpointError('BAD_MODEL', `model.json: weight(s) ${stray.slice(0, 5).map((w) => w.name).join(', ')} match no Const node of the graph`);
}

/** Keras writes either the model itself or { model_config: model } (files converted from .h5). */
function topologyLayers(topology: Record<string, unknown>): Array<{ class_name: string }> {
  const model = (topology.model_config ?? topology) as { class_name?: unknown; config?: unknown };
  const config = model.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new CheckpointError('BAD_MODEL', 'model.json: modelTopology has no layers');
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object' || typeof (layer as { class_name?: unknown }).class_name !== 'string') {
      throw new CheckpointError('BAD_MODEL', 'model.json: a layer without class_name');
    }
  }
  return layers as Array<{ class_name: string }>;
}

/** Bytes the weights manifest declares for one group: float32 = 4 bytes per element. */
export function declaredBytes(weights: WeightSpec[]): number {
  return weights.reduce((sum, w) => sum + 4 * w.shape.reduce((n, d) => n * d, 1), 0);
}

function parseJson(bytes: Uint8Array, file: string, code: 'BAD_MANIFEST' | 'BAD_MODEL'): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new CheckpointError(code, `${file} is not valid JSON (${(error as Error).message})`);
  }
}
