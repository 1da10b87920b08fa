import { buildCheckpointModel, readCheckpointZip, type LoadedCheckpoint } from './checkpoint';
import type { GanBackendSetting } from './backend';
import { validateGenerator } from './generate';
import type { ZipLimits } from './zip';

/**
 * Zip bytes → a checked, ready generator: files and manifest checked, model built on the backend, one
 * test image generated. Every refusal is a CheckpointError with a message for the person uploading.
 */
export async function loadCheckpoint(
  zipBytes: Uint8Array,
  options: { backend: GanBackendSetting; limits?: ZipLimits },
): Promise<LoadedCheckpoint & { check: Awaited<ReturnType<typeof validateGenerator>> }> {
  const contents = await readCheckpointZip(zipBytes, options.limits);
  const loaded = await buildCheckpointModel(contents, options.backend);
  try {
    const check = await validateGenerator(loaded);
    return { ...loaded, check };
  } catch (error) {
    loaded.dispose();
    throw error;
  }
}
