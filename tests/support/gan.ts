import { useBackend, type GanBackendSetting } from '@/lib/gan/backend';
import { buildGenerator, type GeneratorSpec } from '@/lib/gan/architecture';
import { modelFiles, zipFiles, type ZipEntries } from '@/lib/gan/export';
import { CHECKPOINT_FORMAT } from '@/lib/gan/manifest';

/**
 * Tiny checkpoints for tests and the end-to-end fixture: the shipped architecture with random weights
 * (seeded), at 16×16 by default so that they build and run in milliseconds.
 */
export const TINY_SPEC: GeneratorSpec = { resolution: 16, latentDim: 8, labels: [], baseChannels: 16, minChannels: 4 };

export function tinyManifest(spec: GeneratorSpec, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: CHECKPOINT_FORMAT,
    name: 'tiny test generator',
    modality: 'CT_HEAD',
    resolution: spec.resolution,
    latentDim: spec.latentDim,
    labels: [...spec.labels],
    outputRange: [-1, 1],
    training: { data: 'none (random weights)', licence: 'CC0-1.0' },
    codeVersion: 'test',
    ...overrides,
  };
}

/** The files of a tiny checkpoint; `edit` may change or delete any of them before zipping. */
export async function tinyCheckpointFiles(options: { spec?: GeneratorSpec; seed?: number; manifest?: Record<string, unknown>; backend?: GanBackendSetting } = {}): Promise<ZipEntries> {
  const spec = options.spec ?? TINY_SPEC;
  const tf = await useBackend(options.backend ?? 'wasm');
  const model = buildGenerator(tf, spec, options.seed ?? 1);
  try {
    const { modelJson, weights } = await modelFiles(model);
    return { 'checkpoint.json': JSON.stringify(tinyManifest(spec, options.manifest)), 'model.json': modelJson, 'weights.bin': weights };
  } finally {
    model.dispose();
  }
}

export async function tinyCheckpointZip(options: Parameters<typeof tinyCheckpointFiles>[0] = {}): Promise<Uint8Array> {
  return zipFiles(await tinyCheckpointFiles(options));
}
