import fs from 'node:fs';
import path from 'node:path';
import { useBackend, type GanBackendSetting } from '@/lib/gan/backend';
import { buildGenerator, type GeneratorSpec } from '@/lib/gan/architecture';
import { modelFiles, zipFiles, type ZipEntries } from '@/lib/gan/export';
import { CHECKPOINT_FORMAT } from '@/lib/gan/manifest';

/**
 * Tiny checkpoints for tests and the end-to-end fixture: the shipped architecture with random weights
 * (seeded), at 16×16 by default so that they build and run in milliseconds; and a graph model with a custom
 * layer (pixel norm), written by lib/gan/fixtures/make_graph_model.py from a Keras model.
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

/** The committed graph-model fixture (16×16 CXR, latent 8, labels Effusion and Nodule); `manifest` overrides checkpoint.json. */
export const GRAPH_FIXTURE_DIR = path.join('lib', 'gan', 'fixtures', 'pixelnorm-graph');

export function graphCheckpointFiles(options: { manifest?: Record<string, unknown> } = {}): ZipEntries {
  const read = (name: string) => new Uint8Array(fs.readFileSync(path.resolve(GRAPH_FIXTURE_DIR, name)));
  const manifest = { ...JSON.parse(new TextDecoder().decode(read('checkpoint.json'))), ...options.manifest };
  return { 'checkpoint.json': JSON.stringify(manifest), 'model.json': read('model.json'), 'weights.bin': read('weights.bin') };
}

export function graphCheckpointZip(options: Parameters<typeof graphCheckpointFiles>[0] = {}): Promise<Uint8Array> {
  return zipFiles(graphCheckpointFiles(options));
}
