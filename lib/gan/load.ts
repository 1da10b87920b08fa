import { getConfig } from '@/lib/config';
import { buildCheckpointModel, type LoadedCheckpoint } from './checkpoint';
import { processBackend, type GanBackendSetting } from './backend';
import { readCheckpointZip, type CheckpointZipLimits } from './contents';
import { validateGenerator } from './generate';
import { checkpointContents } from './registry';

/**
 * Zip bytes → a checked, ready generator: files and manifest checked, model built on the backend, one
 * test image generated. Every refusal is a CheckpointError with a message for the person uploading.
 */
export async function loadCheckpoint(
  zipBytes: Uint8Array,
  options: { backend: GanBackendSetting; limits?: CheckpointZipLimits },
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

// One built model per process and backend, reused by later jobs of the same checkpoint.
const cache = new Map<string, Promise<LoadedCheckpoint>>();
const CACHE_SIZE = 2;

export async function loadRegisteredCheckpoint(id: string): Promise<LoadedCheckpoint & { id: string }> {
  const backend = processBackend(getConfig().GAN_BACKEND);
  const key = `${id}:${backend}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = checkpointContents(id).then((contents) => buildCheckpointModel(contents, backend));
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
    while (cache.size > CACHE_SIZE) {
      const [oldestKey, oldest] = cache.entries().next().value!;
      cache.delete(oldestKey);
      void oldest.then((c) => c.dispose()).catch(() => undefined);
    }
  }
  return { ...(await entry), id };
}
