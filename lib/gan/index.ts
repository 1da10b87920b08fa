// Public face of lib/gan: GAN checkpoints (format, loading, validation), seeded generation, and the
// registry and generation job that put generated images into the synthetic pools. Framework-free.
export { CheckpointError, isCheckpointError, type CheckpointErrorCode } from './errors';
export { CHECKPOINT_FORMAT, ALLOWED_LAYERS, checkpointManifestSchema, parseCheckpointManifest, parseModelJson, type CheckpointManifest, type ModelJson } from './manifest';
export { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip';
export { buildCheckpointModel, inspectCheckpointFiles, memoryIOHandler, readCheckpointZip, MANIFEST_FILE, MODEL_FILE, type CheckpointContents, type LoadedCheckpoint } from './checkpoint';
export { resolveBackend, useBackend, wasmDirectory, type GanBackend, type GanBackendSetting } from './backend';
export { generatorInput, latentFor, philox4x32, toGrey8, MAX_SEED } from './latents';
export { DEFAULT_BATCH_SIZE, generateGrey, greyToPng, validateGenerator, type GenerationItem, type GenerationOptions } from './generate';
export { loadCheckpoint } from './load';
export { buildGenerator, channelsFor, generatorFlops, stagesFor, type GeneratorSpec } from './architecture';
export { checkpointZip, modelFiles, zipFiles } from './export';
export { generationParamsSchema, planGeneration, type GenerationParams } from './plan';
export { checkpointContents, checkpointZipLimits, listCheckpoints, loadRegisteredCheckpoint, registerCheckpoint, summary as checkpointSummary, type CheckpointSummary, type RegisterResult } from './registry';
export { GENERATOR_CODE_VERSION, GenerationCancelled, jobSource, runGenerationJob, type GenerationJobContext, type GenerationJobResult } from './generation-job';
export { checkpointErrorStatus } from './http-status';
export { checkTargetPool, targetPool, type TargetPool } from './target-pool';
export { BROWSER_RUNNER, CHECK_TOLERANCE, isBrowserJob, leaseRange, pixelDelta, sampleIndices, startBrowserGenerationJob, submitChunk, type ChunkImage, type ChunkOutcome, type Lease } from './browser-job';
