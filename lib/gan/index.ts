// Public face of lib/gan: GAN checkpoints (format, loading, validation), seeded generation, and the
// registry and generation job that put generated images into the synthetic pools. Framework-free.
// This face loads TensorFlow.js; code that must not (web pages, job declarations) imports the light
// files directly: registry.ts, contents.ts, plan.ts, errors.ts, manifest.ts, latents.ts.
export { CheckpointError, isCheckpointError, type CheckpointErrorCode } from './errors';
export { CHECKPOINT_FORMAT, ALLOWED_LAYERS, checkpointManifestSchema, parseCheckpointManifest, parseModelJson, type CheckpointManifest, type ModelJson } from './manifest';
export { DEFAULT_CHECKPOINT_ZIP_LIMITS, inspectCheckpointFiles, readCheckpointZip, MANIFEST_FILE, MODEL_FILE, type CheckpointContents, type CheckpointFiles, type CheckpointZipLimits } from './contents';
export { buildCheckpointModel, memoryIOHandler, type LoadedCheckpoint } from './checkpoint';
export { resolveBackend, useBackend, wasmDirectory, type GanBackend, type GanBackendSetting } from './backend';
export { generatorInput, latentFor, philox4x32, toGrey8, MAX_SEED } from './latents';
export { DEFAULT_BATCH_SIZE, generateGrey, greyToPng, validateGenerator, type GenerationItem, type GenerationOptions } from './generate';
export { loadCheckpoint, loadRegisteredCheckpoint } from './load';
export { buildGenerator, channelsFor, generatorFlops, stagesFor, type GeneratorSpec } from './architecture';
export { checkpointZip, modelFiles, zipFiles } from './export';
export { generationParamsSchema, planGeneration, type GenerationParams } from './plan';
export { checkpointContents, checkpointZipLimits, listCheckpoints, summary as checkpointSummary, type CheckpointSummary } from './registry';
export { registerCheckpoint, type RegisterResult } from './register';
export { GENERATOR_CODE_VERSION, GenerationCancelled, jobSource, runGenerationJob, type GenerationJobContext, type GenerationJobResult } from './generation-job';
export { checkTargetPool, targetPool, type TargetPool } from './target-pool';
export { BROWSER_RUNNER, isBrowserJob, leaseRange, startBrowserGenerationJob, type Lease } from './browser-job';
export { CHECK_TOLERANCE, pixelDelta, sampleIndices, submitChunk, type ChunkImage, type ChunkOutcome } from './browser-chunks';
